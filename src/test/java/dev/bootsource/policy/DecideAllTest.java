package dev.bootsource.policy;

import dev.bootsource.capabilities.CapabilityCatalogLoader;
import dev.bootsource.input.ClusterFileReader;
import dev.bootsource.cluster.ClusterSnapshot;
import dev.bootsource.cluster.ClusterView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Deciding a whole cluster in one pass per driver gives exactly the decisions made one class at a time. */
class DecideAllTest {

    private static final BootSourcePolicy POLICY = new BootSourcePolicy(CapabilityCatalogLoader.bundled(), PolicyOptions.DEFAULTS);
    private static final BootSourcePolicy NO_AUTO_CREATE = new BootSourcePolicy(
            CapabilityCatalogLoader.bundled(), PolicyOptions.DEFAULTS.withAutoCreate(false));

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"examples/gcp-hyperdisk", "examples/mixed", "src/test/resources/policy"})
    void wholeClusterDecisionsEqualOneAtATimeOnes(String input) throws Exception {
        ClusterView cluster = read(Path.of(input));
        assertSameAsOneAtATime(POLICY, cluster);
        assertSameAsOneAtATime(NO_AUTO_CREATE, cluster);
    }

    @Test
    void classesOfOneDriverShareOneCreatedClassWithMixedParametersAndNames() {
        ClusterView cluster = generated(300);
        List<ProfileDecision> decisions = assertSameAsOneAtATime(POLICY, cluster);
        assertThat(decisions.stream().flatMap(d -> d.snapshotClassToCreate().stream()).map(SnapshotClassToCreate::name).distinct())
                .as("one images class for the Hyperdisk driver, named after its first StorageClass; none for a driver without known parameters")
                .containsExactly("a-000-images");
    }

    private static List<ProfileDecision> assertSameAsOneAtATime(BootSourcePolicy policy, ClusterView cluster) {
        List<ProfileDecision> all = policy.decideAll(cluster);
        List<ProfileDecision> oneByOne = cluster.storageClasses().stream()
                .sorted(Comparator.comparing(sc -> sc.getMetadata().getName()))
                .map(sc -> policy.decide(cluster, sc))
                .toList();
        assertThat(all).isEqualTo(oneByOne);
        return all;
    }

    /** Hyperdisk classes and classes of an unknown driver, names interleaved, some regional (no images class possible). */
    private static ClusterView generated(int count) {
        StringBuilder yaml = new StringBuilder("apiVersion: v1\nkind: List\nitems:\n");
        for (int i = 0; i < count; i++) {
            String name = String.format(Locale.ROOT, "%s-%03d", i % 2 == 0 ? "a" : "b", i);
            String driver = i % 2 == 0 ? "pd.csi.storage.gke.io" : "pd.csi.storage.gke.io.other";
            String type = i % 7 == 3 ? "hyperdisk-balanced-high-availability" : "hyperdisk-balanced";
            yaml.append("""
                    - apiVersion: storage.k8s.io/v1
                      kind: StorageClass
                      metadata: {name: %1$s}
                      provisioner: %2$s
                      parameters: {type: %3$s}
                    - apiVersion: cdi.kubevirt.io/v1beta1
                      kind: StorageProfile
                      metadata: {name: %1$s}
                      spec: {}
                      status: {provisioner: %2$s, storageClass: %1$s}
                    """.formatted(name, driver, type));
        }
        ClusterFileReader reader = new ClusterFileReader();
        reader.add(yaml.toString(), "generated");
        return reader.snapshot();
    }

    private static ClusterSnapshot read(Path input) throws Exception {
        List<Path> files;
        try (Stream<Path> walk = Files.isDirectory(input) ? Files.list(input) : Stream.of(input)) {
            files = walk.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        // Test fixtures repeat objects across files: the last one read wins, as when building a state in code.
        ClusterFileReader reader = new ClusterFileReader();
        for (Path file : files) {
            reader.add(Files.readString(file), file.toString());
        }
        return reader.snapshot();
    }
}
