package dev.bitnet.doctest;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the {@code ./bitnet COMMAND ...} lines in the shell blocks of markdown files and checks
 * that the launcher has the command, that the command accepts every option written on the line
 * (bracketed placeholders such as {@code [--json]} and options named in a trailing comment
 * included), and that words which are no option's value appear only for a command taking positional arguments.
 */
final class CommandLineChecker {

    /** Info strings of the blocks searched; untagged blocks are included, as the docs write commands in them. */
    private static final Set<String> SHELL_LANGUAGES = Set.of("", "bash", "sh", "shell", "console", "zsh");

    /** Maven's way to run a command line through exec:exec: {@code -Dbitnet.args="info --model tiny.bit2"}. */
    private static final String MAVEN_ARGS = "-Dbitnet.args=";
    /**
     * A line that runs a command: {@code ./bitnet} anywhere, {@code bitnet COMMAND} at its start
     * or after a prompt, or Maven with {@value #MAVEN_ARGS}.
     */
    private static final Pattern INVOCATION = Pattern.compile(
            "(?:^|[\\s;&|(])\\./bitnet(?:\\s|$)|^\\s*(?:\\$\\s+)?bitnet\\s+-{0,2}[a-z]|" + Pattern.quote(MAVEN_ARGS));
    private static final Pattern PROMPT = Pattern.compile("^\\s*\\$\\s+");
    /** An indented synopsis line continuing the command above it: {@code     [--top-k 40] ...}. */
    private static final Pattern SYNOPSIS_CONTINUATION = Pattern.compile("^\\s+[\\[-]");
    private static final Pattern COMMAND_WORD = Pattern.compile("-{0,2}[a-z][a-z0-9-]*");
    private static final Pattern ENV_ASSIGNMENT = Pattern.compile("[A-Za-z_]\\w*=.*");
    private static final Pattern COMMENT_OPTION = Pattern.compile("(?<![\\w-])--[A-Za-z][\\w-]*");
    private static final Pattern OPTION = Pattern.compile("(--?[A-Za-z][\\w-]*)(?:=.*)?");
    private static final Pattern REDIRECTION = Pattern.compile("\\d*(>>?|<)(&\\d+|\\S+)?");

    private final Path root;
    private final Launcher launcher;
    private final Map<String, Optional<CommandSyntax>> syntaxes = new HashMap<>();

    CommandLineChecker(Path root, Launcher launcher) {
        this.root = root;
        this.launcher = launcher;
    }

    /**
     * Every launcher invocation in the shell blocks of {@code md} and in its code spans that start
     * with {@code ./bitnet}; the value of {@value #MAVEN_ARGS} counts as one too.
     */
    static List<DocumentedCommand> commands(MarkdownFile md) {
        List<DocumentedCommand> commands = new ArrayList<>();
        for (FencedBlock block : md.blocks()) {
            if (!SHELL_LANGUAGES.contains(block.language())) {
                continue;
            }
            List<String> lines = block.lines();
            for (int i = 0; i < lines.size(); i++) {
                if (!INVOCATION.matcher(lines.get(i)).find()) {
                    continue;
                }
                List<ShellToken> tokens = new ArrayList<>();
                tokenize(PROMPT.matcher(lines.get(i)).replaceFirst(""), block.firstLine() + i, tokens);
                while (i + 1 < lines.size() && (lines.get(i).endsWith("\\") || SYNOPSIS_CONTINUATION.matcher(lines.get(i + 1)).find())) {
                    i++;
                    tokenize(lines.get(i), block.firstLine() + i, tokens);
                }
                addInvocations(md.name(), tokens, commands);
            }
        }
        for (CodeSpan span : md.codeSpans()) {
            if (span.text().startsWith("./bitnet ") || span.text().contains(MAVEN_ARGS)) {
                List<ShellToken> tokens = new ArrayList<>();
                tokenize(span.text(), span.line(), tokens);
                addInvocations(md.name(), tokens, commands);
            }
        }
        commands.sort(Comparator.comparingInt(DocumentedCommand::line));
        return commands;
    }

    /** The problems of one invocation, as {@code FILE:LINE: message}; empty when it is right. */
    List<String> problems(DocumentedCommand c) {
        List<String> problems = new ArrayList<>();
        if (c.command().isEmpty()) {
            return problems; // a bare ./bitnet prints the usage
        }
        Optional<LauncherCommand> command = launcher.command(c.command());
        if (command.isEmpty()) {
            problems.add(c.file() + ":" + c.line() + ": unknown command '" + c.command() + "' for ./bitnet (the launcher has "
                    + String.join(", ", launcher.names()) + ")");
            return problems;
        }
        Optional<CommandSyntax> syntax = syntaxes.computeIfAbsent(c.command(), k -> CommandOptions.of(root, command.get()));
        if (syntax.isEmpty()) {
            return problems; // test: the arguments go to Maven
        }
        Map<String, Integer> options = syntax.get().options();
        List<ShellToken> args = c.args();
        for (int k = 0; k < args.size(); k++) {
            ShellToken t = args.get(k);
            String word = t.text();
            String option = optionOf(t);
            if (t.kind() == ShellToken.Kind.COMMENT_OPTION) {
                if (!options.containsKey(option)) {
                    problems.add(c.file() + ":" + t.line() + ": unknown option " + option + " for bitnet " + c.command());
                }
            } else if (REDIRECTION.matcher(word).matches()) {
                if (word.matches("\\d*(>>?|<)")) {
                    k++; // the file after a bare > or <
                }
            } else if (option != null) {
                if (!options.containsKey(option)) {
                    problems.add(c.file() + ":" + t.line() + ": unknown option " + option + " for bitnet " + c.command());
                }
                int values = word.contains("=") ? 0 : options.getOrDefault(option, 1);
                while (values-- > 0 && k + 1 < args.size() && isValue(args.get(k + 1))) {
                    k++;
                }
            } else if (word.equals("...")) {
                continue; // "and so on"
            } else if (word.startsWith("[")) {
                while (k + 1 < args.size() && !args.get(k).text().matches(".*\\](\\.\\.\\.)?")) {
                    k++; // a placeholder such as [sampling options]
                }
            } else if (!syntax.get().positionals()) {
                problems.add(c.file() + ":" + t.line() + ": unexpected argument '" + word + "' for bitnet " + c.command()
                        + " (it takes options only)");
            }
        }
        return problems;
    }

    /** Whether a token can be the value of the option before it. */
    private static boolean isValue(ShellToken t) {
        return t.kind() == ShellToken.Kind.WORD && optionOf(t) == null && !REDIRECTION.matcher(t.text()).matches();
    }

    /** The option a token names, without any {@code =value} and placeholder brackets, or null. */
    private static String optionOf(ShellToken t) {
        if (t.kind() == ShellToken.Kind.COMMENT_OPTION) {
            return t.text();
        }
        if (t.kind() != ShellToken.Kind.WORD) {
            return null;
        }
        String word = t.text().replaceFirst("^[\\[(]+", "").replaceFirst("(\\.\\.\\.|[\\])])+$", "");
        Matcher m = OPTION.matcher(word);
        return m.matches() ? m.group(1) : null;
    }

    /** Splits a line's tokens at separators and keeps the parts that run the launcher. */
    private static void addInvocations(String file, List<ShellToken> tokens, List<DocumentedCommand> out) {
        List<ShellToken> part = new ArrayList<>();
        for (ShellToken t : tokens) {
            if (t.kind() == ShellToken.Kind.WORD && t.text().startsWith(MAVEN_ARGS)) {
                List<ShellToken> args = new ArrayList<>(List.of(new ShellToken("./bitnet", t.line(), ShellToken.Kind.WORD)));
                tokenize(t.text().substring(MAVEN_ARGS.length()), t.line(), args);
                addInvocations(file, args, out);
            }
            if (t.kind() == ShellToken.Kind.SEPARATOR) {
                addInvocation(file, part, out);
                part = new ArrayList<>();
            } else {
                part.add(t);
            }
        }
        addInvocation(file, part, out);
    }

    private static void addInvocation(String file, List<ShellToken> part, List<DocumentedCommand> out) {
        int start = 0;
        while (start < part.size() && part.get(start).kind() == ShellToken.Kind.WORD
                && ENV_ASSIGNMENT.matcher(part.get(start).text()).matches()) {
            start++;
        }
        if (start >= part.size() || !Set.of("./bitnet", "bitnet").contains(part.get(start).text())) {
            return;
        }
        ShellToken bitnet = part.get(start);
        List<ShellToken> rest = part.subList(start + 1, part.size());
        if (rest.isEmpty() || rest.getFirst().kind() != ShellToken.Kind.WORD || !COMMAND_WORD.matcher(rest.getFirst().text()).matches()) {
            out.add(new DocumentedCommand(file, bitnet.line(), "", List.copyOf(rest)));
        } else {
            out.add(new DocumentedCommand(file, bitnet.line(), rest.getFirst().text(), List.copyOf(rest.subList(1, rest.size()))));
        }
    }

    /**
     * Splits one line into words as a POSIX shell would (quotes, backslashes), separators apart;
     * a {@code #} starting a word begins a comment, whose {@code --options} become tokens.
     */
    private static void tokenize(String text, int line, List<ShellToken> out) {
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        for (int k = 0; k < text.length(); k++) {
            char c = text.charAt(k);
            if (c == '\'' || c == '"') {
                int end = k + 1;
                while (end < text.length() && text.charAt(end) != c) {
                    if (c == '"' && text.charAt(end) == '\\' && end + 1 < text.length()) {
                        end++;
                    }
                    word.append(text.charAt(end));
                    end++;
                }
                k = end;
                inWord = true;
            } else if (c == '\\') {
                if (k + 1 < text.length()) {
                    word.append(text.charAt(++k));
                    inWord = true;
                }
            } else if (Character.isWhitespace(c)) {
                inWord = flush(word, inWord, line, out);
            } else if (c == '#' && !inWord) {
                Matcher m = COMMENT_OPTION.matcher(text.substring(k));
                while (m.find()) {
                    out.add(new ShellToken(m.group(), line, ShellToken.Kind.COMMENT_OPTION));
                }
                return;
            } else if ((c == ';' || c == '|' || c == '&') && !(c == '&' && k > 0 && text.charAt(k - 1) == '>')) {
                inWord = flush(word, inWord, line, out);
                int end = k;
                while (end + 1 < text.length() && "&|;".indexOf(text.charAt(end + 1)) >= 0) {
                    end++;
                }
                out.add(new ShellToken(text.substring(k, end + 1), line, ShellToken.Kind.SEPARATOR));
                k = end;
            } else {
                word.append(c);
                inWord = true;
            }
        }
        flush(word, inWord, line, out);
    }

    private static boolean flush(StringBuilder word, boolean inWord, int line, List<ShellToken> out) {
        if (inWord) {
            out.add(new ShellToken(word.toString(), line, ShellToken.Kind.WORD));
            word.setLength(0);
        }
        return false;
    }
}
