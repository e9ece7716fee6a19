package dev.bitnet.doctest;

import dev.bitnet.core.Version;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's Java example is the complete project {@code examples/embed}: its {@code Main.java}
 * appears in the README verbatim, compiles against the modules and, run on a random tiny model,
 * prints generated text; its {@code pom.xml} asks for Java 25 with a compiler plugin that knows
 * {@code maven.compiler.release}, and depends on this version of bitnet-runtime. (Maven itself
 * cannot build it here: that needs {@code mvn install}, which would write to the shared local
 * repository.)
 */
class ReadmeJavaExampleTest {

    private static final String EXAMPLE = "examples/embed";

    @Test
    void theEmbedExampleCompilesAndGeneratesText(@TempDir Path work) throws Exception {
        Path root = RepositoryRoot.find();
        Path project = root.resolve(EXAMPLE);
        List<Path> sources;
        try (Stream<Path> files = Files.walk(project.resolve("src/main/java"))) {
            sources = files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        assertThat(sources).extracting(p -> project.relativize(p).toString()).containsExactly("src/main/java/com/example/Main.java");
        Path classes = Files.createDirectories(work.resolve("classes"));
        assertThat(JavaExamples.compile(sources, classes)).as("compile errors of " + EXAMPLE).isEmpty();

        JavaExamples.writeModel(work);
        ExampleRun run = JavaExamples.run("com.example.Main", classes, work, "model.bit2");
        assertThat(run.exitCode()).as("exit code of %s; stderr:%n%s", EXAMPLE, run.stderr()).isZero();
        assertThat(run.stdout()).as("text the example prints").isNotBlank();
        assertThat(run.stderr()).contains("tokens at");
    }

    @Test
    void theReadmeShowsTheExampleVerbatim() throws Exception {
        Path root = RepositoryRoot.find();
        MarkdownFile readme = MarkdownFile.read(root, root.resolve("README.md"));
        List<String> java = readme.blocks().stream().filter(b -> b.language().equals("java"))
                .map(b -> String.join("\n", b.lines()) + "\n").toList();
        assertThat(java).as("the README's Java blocks").contains(Files.readString(root.resolve(EXAMPLE + "/src/main/java/com/example/Main.java")));
    }

    @Test
    void itsPomAsksForJava25AndThisVersionOfTheRuntime() throws Exception {
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(RepositoryRoot.find().resolve(EXAMPLE + "/pom.xml").toFile());
        assertThat(text(pom.getDocumentElement(), "properties", "maven.compiler.release")).isEqualTo("25");
        Element dependency = (Element) pom.getElementsByTagName("dependency").item(0);
        assertThat(text(dependency, "groupId")).isEqualTo("dev.bitnet");
        assertThat(text(dependency, "artifactId")).isEqualTo("bitnet-runtime");
        assertThat(text(dependency, "version")).isEqualTo(Version.get());
        // maven.compiler.release needs maven-compiler-plugin 3.6 or newer; Maven 3.8 would take 3.1
        NodeList plugins = pom.getElementsByTagName("plugin");
        String compiler = null;
        for (int i = 0; i < plugins.getLength(); i++) {
            Element plugin = (Element) plugins.item(i);
            if (text(plugin, "artifactId").equals("maven-compiler-plugin")) {
                compiler = text(plugin, "version");
            }
        }
        assertThat(compiler).as("the pinned maven-compiler-plugin version").isNotNull();
        String[] v = compiler.split("\\.");
        assertThat(Integer.parseInt(v[0]) * 100 + Integer.parseInt(v[1])).isGreaterThanOrEqualTo(306);
    }

    /** The text of the element reached from {@code parent} through child elements named {@code path}. */
    private static String text(Element parent, String... path) {
        Element e = parent;
        for (String name : path) {
            NodeList children = e.getChildNodes();
            Element next = null;
            for (int i = 0; i < children.getLength() && next == null; i++) {
                if (children.item(i) instanceof Element c && c.getTagName().equals(name)) {
                    next = c;
                }
            }
            if (next == null) {
                return null;
            }
            e = next;
        }
        return e.getTextContent().strip();
    }
}
