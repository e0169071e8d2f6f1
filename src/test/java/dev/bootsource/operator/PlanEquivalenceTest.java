package dev.bootsource.operator;

import dev.bootsource.input.ClusterFileReader;
import dev.bootsource.model.VolumeSnapshotClass;
import dev.bootsource.policy.ClusterPlan;
import dev.bootsource.policy.ClusterPlanner;
import dev.bootsource.policy.ProfileDecision;
import dev.bootsource.policy.SnapshotClassToCreate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code run} against a cluster seeded from an {@code examples/} directory converges to exactly what
 * {@code plan} prints for the same files: every existing profile's annotations, and the snapshot classes
 * to create (a profile CDI has not created yet cannot be annotated, so only existing ones are compared).
 */
class PlanEquivalenceTest extends OperatorTestSupport {

    @ParameterizedTest
    @ValueSource(strings = {"examples/gcp-hyperdisk", "examples/mixed"})
    void runConvergesToWhatPlanPrints(String example) throws IOException {
        List<Path> files = yamlFiles(Path.of(example));
        ClusterPlan plan = new ClusterPlanner(policy()).plan(ClusterFileReader.read(files));
        cluster.installCdi();
        cluster.installSnapshotCrds();
        files.forEach(cluster::createAll);

        startOperator();

        List<ProfileDecision> existing = plan.storageProfiles().stream().filter(ProfileDecision::profileExists).toList();
        assertThat(existing).isNotEmpty();
        await().atMost(CONVERGE).until(() -> existing.stream().allMatch(decision ->
                decision.annotationsAfter().equals(cluster.annotations(decision.storageClassName())))
                && createdClasses().equals(plannedClasses(plan)));

        for (ProfileDecision decision : existing) {
            assertThat(cluster.annotations(decision.storageClassName()))
                    .as("annotations of StorageProfile %s", decision.storageClassName())
                    .isEqualTo(decision.annotationsAfter());
        }
        assertThat(createdClasses()).isEqualTo(plannedClasses(plan));
        assertThat(cluster.snapshotClasses().stream().map(vsc -> vsc.getMetadata().getName()).distinct().count())
                .isEqualTo(cluster.snapshotClasses().size());
    }

    private Map<String, String> createdClasses() {
        return cluster.snapshotClassesCreatedByBootSource().stream()
                .collect(Collectors.toMap(vsc -> vsc.getMetadata().getName(), PlanEquivalenceTest::describe));
    }

    private static Map<String, String> plannedClasses(ClusterPlan plan) {
        return plan.snapshotClassesToCreate().stream()
                .collect(Collectors.toMap(SnapshotClassToCreate::name, c -> describe(c.toVolumeSnapshotClass())));
    }

    private static String describe(VolumeSnapshotClass vsc) {
        return vsc.getDriver() + " " + vsc.getDeletionPolicy() + " " + vsc.getParameters() + " "
                + Objects.requireNonNullElse(vsc.getMetadata().getLabels(), Map.of());
    }

    private static List<Path> yamlFiles(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.toString().endsWith(".yaml") || file.toString().endsWith(".yml"))
                    .sorted()
                    .toList();
        }
    }

}
