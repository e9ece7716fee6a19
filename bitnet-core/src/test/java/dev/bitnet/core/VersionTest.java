package dev.bitnet.core;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The version comes from the POM through Maven's resource filtering. */
class VersionTest {

    @Test
    void isThePomsVersion() throws Exception {
        String pom = Files.readString(Path.of("pom.xml")); // surefire runs in the module's directory
        assertThat(Version.get()).matches("\\d+\\.\\d+\\.\\d+.*");
        assertThat(pom).contains("<version>" + Version.get() + "</version>");
        assertThat(Version.line()).isEqualTo("bitnet " + Version.get());
    }
}
