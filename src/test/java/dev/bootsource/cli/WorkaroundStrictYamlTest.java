package dev.bootsource.cli;

import dev.bootsource.input.ClusterFileReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.bootsource.cli.VerifyCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code workaround} writes what {@code kubectl apply} accepts: read with YAML 1.1 typing (as kubectl reads it),
 * every annotation, label and parameter is still a string, and the output reads back through {@code plan}.
 */
class WorkaroundStrictYamlTest {

    private static final String GKE = "src/test/resources/cli/gke-cluster.yaml";

    @TempDir
    Path dir;

    @Test
    void everyStringStaysAStringAndTheOutputFeedsBackThroughPlan() throws IOException {
        VerifyCommandTest.Run run = run("workaround", GKE);
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("provisioned-iops-on-create: \"7000\"").contains("schedule: \"0 */12 * * *\"");

        List<String> problems = new ArrayList<>();
        for (Object document : new Yaml().loadAll(run.out())) {
            if (document instanceof Map<?, ?> object) {
                Object metadata = object.get("metadata");
                if (metadata instanceof Map<?, ?> meta) {
                    strings(meta.get("annotations"), "annotations", problems);
                    strings(meta.get("labels"), "labels", problems);
                }
                strings(object.get("parameters"), "parameters", problems);
            }
        }
        assertThat(problems).isEmpty();

        Path out = dir.resolve("workaround.yaml");
        Files.writeString(out, run.out());
        VerifyCommandTest.Run plan = run("plan", out.toString());
        assertThat(plan.exitCode()).as(plan.err()).isZero();
        assertThat(plan.out()).contains("sp-balanced-images");
        // the workaround's objects are read as typed objects next to the cluster's: no binding errors
        assertThat(ClusterFileReader.readAll(List.of(out)).snapshot().storageClass("sp-balanced-images")).isPresent()
                .get().satisfies(sc -> assertThat(sc.getParameters()).containsEntry("provisioned-iops-on-create", "7000"));
        assertThat(plan.err()).doesNotContain("bootsource: ");
    }

    @Test
    void theHyperConvergedNamespaceComesFromTheClusterAndOnlySnapshotsCdiUsesAreListed() {
        VerifyCommandTest.Run run = run("workaround", GKE);
        assertThat(run.out()).contains("  name: kubevirt-hyperconverged\n  namespace: kubevirt\n")
                .contains("kubectl delete volumesnapshot -n kubevirt-os-images fedora-a5e9cbcd3bcb")
                .doesNotContain("kubectl delete volumesnapshot -n kubevirt-os-images fedora-0ld0ld0ld0ld")
                .contains("Not listed: 1 older golden snapshot(s) CDI no longer uses");
    }

    private static void strings(Object map, String where, List<String> problems) {
        if (map instanceof Map<?, ?> values) {
            values.forEach((key, value) -> {
                if (!(value instanceof String) && value != null) {
                    problems.add(where + "." + key + " is a " + value.getClass().getSimpleName() + ": " + value);
                }
            });
        }
    }
}
