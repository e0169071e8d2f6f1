package dev.bootsource.policy;

import dev.bootsource.model.Keys;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Spec §3.1: which CDI manages boot sources, from the admin's word, the CDI resource, or the profiles. */
class CdiManagementTest {

    @ParameterizedTest(name = "version {0} manages boot sources: {1}")
    @CsvSource({
            "v1.65.0, true", "v1.66.2, true", "1.65.0, true", "v1.65.0-rc.1, true", "v1.100.1, true", "v2.0.0, true",
            "v1.64.9, false", "v1.61.3, false", "v0.99.0, false"})
    void versionsCompareNumerically(String version, boolean manages) {
        assertThat(CdiManagement.managingVersion(version)).contains(manages);
    }

    @ParameterizedTest(name = "'{0}' is not a version")
    @CsvSource({"latest", "main", "''"})
    void textThatIsNoVersionSaysNothing(String version) {
        assertThat(CdiManagement.managingVersion(version)).isEmpty();
    }

    static Stream<org.junit.jupiter.params.provider.Arguments> clusters() {
        return Stream.of(
                arguments("a CDI resource at v1.66 manages", ClusterFixture.cluster().cdi("v1.66.0"), CdiMode.AUTO, true, "v1.66.0"),
                arguments("a CDI resource at v1.64 does not, whatever the profiles say",
                        ClusterFixture.cluster().cdi("v1.64.0").hyperdiskClass("sp")
                                .profile("sp", Map.of(Keys.UPSTREAM_USE_RWO, "true")), CdiMode.AUTO, false, "v1.64.0"),
                arguments("without a version, CDI's own annotation on any profile tells",
                        ClusterFixture.cluster().cdi(null).hyperdiskClass("sp")
                                .profile("sp", Map.of(Keys.UPSTREAM_SNAPSHOT_CLASS, "x")), CdiMode.AUTO, true, "carries"),
                arguments("of several profiles with CDI's annotations, the first by name is the one named",
                        ClusterFixture.cluster().cdi(null).hyperdiskClass("b").profile("b", Map.of(Keys.UPSTREAM_USE_RWO, "true"))
                                .hyperdiskClass("a").profile("a", Map.of(Keys.UPSTREAM_SNAPSHOT_CLASS, "x")),
                        CdiMode.AUTO, true, "StorageProfile a carries " + Keys.UPSTREAM_SNAPSHOT_CLASS),
                arguments("CDI's RWO annotation alone tells too",
                        ClusterFixture.cluster().hyperdiskClass("sp").profile("sp", Map.of(Keys.UPSTREAM_USE_RWO, "false")),
                        CdiMode.AUTO, true, "StorageProfile sp carries " + Keys.UPSTREAM_USE_RWO),
                arguments("nothing known: not managed", ClusterFixture.cluster().hyperdiskClass("sp").profile("sp"),
                        CdiMode.AUTO, false, "no CDI resource"),
                arguments("yes overrides", ClusterFixture.cluster().cdi("v1.60.0"), CdiMode.YES, true, "yes"),
                arguments("no overrides", ClusterFixture.cluster().cdi("v1.70.0"), CdiMode.NO, false, "no"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clusters")
    void detects(String behaviour, ClusterFixture cluster, CdiMode mode, boolean manages, String reasonFragment) {
        CdiManagement detected = CdiManagement.detect(cluster.build(), mode);
        assertThat(detected.managesBootSources()).isEqualTo(manages);
        assertThat(detected.reason()).contains(reasonFragment);
    }

    @ParameterizedTest(name = "mode {0}")
    @CsvSource({"auto, AUTO", "yes, YES", " No , NO", "true, YES", "false, NO"})
    void modesAreReadFromTheirNames(String text, CdiMode mode) {
        assertThat(CdiMode.parse(text)).isEqualTo(mode);
        assertThat(Optional.of(mode.label())).isPresent();
    }
}
