package dev.bitnet.doctest;

import dev.bitnet.core.Version;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./bitnet --version} and the launcher's own commands print the version the Java commands
 * print ({@link Version}, from the POM); the Java commands are checked in their modules.
 */
class LauncherVersionTest {

    @Test
    void theLauncherSaysTheProjectVersion() throws Exception {
        Path root = RepositoryRoot.find();
        for (String[] args : new String[][] {{"--version"}, {"version"}, {"quickstart", "--version"}, {"test", "--version"}}) {
            String[] cmd = new String[args.length + 2];
            cmd[0] = "bash";
            cmd[1] = root.resolve("bitnet").toString();
            System.arraycopy(args, 0, cmd, 2, args.length);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(String.join(" ", args) + ": " + out).isZero();
            assertThat(out.strip()).as(String.join(" ", args)).isEqualTo(Version.line());
        }
    }
}
