package dev.bootsource.policy.workaround;

import dev.bootsource.TestResources;
import dev.bootsource.capabilities.CapabilityCatalogLoader;
import dev.bootsource.input.ClusterFileReader;
import dev.bootsource.policy.BootSourcePolicy;
import dev.bootsource.policy.PolicyOptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Steps already taken are recognised and skipped with a note saying so: one row per step and state, on a GCP
 * cluster part-way through the manual workaround (its cnv-images StorageClass and VolumeSnapshotClass exist).
 */
class WorkaroundPlannerTest {

    private static final String BEFORE = TestResources.text("/verify/gcp-before-workaround.yaml");
    private static final String NS = "kubevirt-os-images";

    /** The manual workaround's Steps 1 and 3: the cnv-images StorageClass and VolumeSnapshotClass. */
    private static final String STEPS_1_3 = BEFORE + "---\n" + TestResources.text("/verify/manual-workaround-classes.yaml");

    /** The manual workaround's Step 4: the cnv-images profile, ReadWriteOnce only, naming the images class. */
    private static final String STEP_4 = profile("cnv-images", "ReadWriteOnce");

    /** Step 5 as this command writes it: the crons of sp-balanced import onto cnv-images, ReadWriteOnce. */
    private static String cronsOnCopy(String yaml, boolean readWriteOnce) {
        String modes = readWriteOnce ? "ReadWriteOnce" : "ReadWriteMany";
        return yaml
                .replace("      storage:\n        resources:", "      storage:\n        storageClassName: cnv-images\n"
                        + (readWriteOnce ? "        accessModes: [ReadWriteOnce]\n" : "") + "        resources:")
                .replace("accessModes: [ReadWriteMany]\n        storageClassName: sp-balanced",
                        "accessModes: [" + modes + "]\n        storageClassName: cnv-images");
    }

    private static String profile(String snapshotClass, String accessMode) {
        return """
                ---
                apiVersion: cdi.kubevirt.io/v1beta1
                kind: StorageProfile
                metadata:
                  name: cnv-images
                spec:
                  claimPropertySets:
                  - accessModes: [%s]
                    volumeMode: Block
                  snapshotClass: %s
                """.formatted(accessMode, snapshotClass);
    }

    record Row(String yaml, List<WorkaroundStep> written, List<WorkaroundNote> notes) {
    }

    static Stream<Arguments> rows() {
        WorkaroundNote copyExists = new WorkaroundNote.CopyExists("cnv-images", "sp-balanced");
        WorkaroundNote step4Done = new WorkaroundNote.ImagesProfileDone("cnv-images", Optional.of("cnv-images"));
        WorkaroundNote step5Done = new WorkaroundNote.TemplatesDone("cnv-images",
                List.of(NS + "/centos-stream9-image-cron", NS + "/fedora-image-cron"));
        return Stream.of(
                arguments("before the workaround every step is written", new Row(BEFORE,
                        List.of(WorkaroundStep.SNAPSHOT_CLASS, WorkaroundStep.IMAGES_STORAGE_CLASS, WorkaroundStep.IMAGES_PROFILE,
                                WorkaroundStep.DATA_IMPORT_CRON_TEMPLATES), List.of())),
                arguments("Steps 1 and 3 taken: the copy and the images snapshot class are reused, not written", new Row(STEPS_1_3,
                        List.of(WorkaroundStep.IMAGES_PROFILE, WorkaroundStep.DATA_IMPORT_CRON_TEMPLATES),
                        List.of(copyExists, new WorkaroundNote.SnapshotClassesExist(new java.util.TreeSet<>(List.of("cnv-images")))))),
                arguments("Step 4 taken: a profile naming the images snapshot class is not written again", new Row(STEPS_1_3 + STEP_4,
                        List.of(WorkaroundStep.DATA_IMPORT_CRON_TEMPLATES), List.of(copyExists, step4Done))),
                arguments("Step 4 not taken: a profile naming another snapshot class is written", new Row(
                        STEPS_1_3 + profile("csi-gce-pd-vsc", "ReadWriteOnce"),
                        List.of(WorkaroundStep.IMAGES_PROFILE, WorkaroundStep.DATA_IMPORT_CRON_TEMPLATES), List.of(copyExists))),
                arguments("Step 5 taken: crons on the copy and ReadWriteOnce need no templates", new Row(
                        cronsOnCopy(STEPS_1_3, true) + STEP_4, List.of(), List.of(copyExists, step4Done, step5Done))),
                arguments("Step 5 taken by hand: crons on the copy, whose profile offers ReadWriteOnce only", new Row(
                        cronsOnCopy(STEPS_1_3, false) + STEP_4, List.of(), List.of(copyExists, step4Done, step5Done))),
                arguments("Step 5 not taken: crons on the copy whose profile also offers ReadWriteMany get the templates",
                        new Row(cronsOnCopy(STEPS_1_3, false) + profile("cnv-images", "ReadWriteMany"),
                                List.of(WorkaroundStep.DATA_IMPORT_CRON_TEMPLATES), List.of(copyExists, step4Done))),
                arguments("Step 5 part-taken: one cron still on the original class gets the templates, listing both",
                        new Row(cronsOnCopy(STEPS_1_3, true).replace("storageClassName: cnv-images\n        resources:\n          requests:\n            storage: 10Gi",
                                "storageClassName: sp-balanced\n        resources:\n          requests:\n            storage: 10Gi") + STEP_4,
                                List.of(WorkaroundStep.DATA_IMPORT_CRON_TEMPLATES), List.of(copyExists, step4Done))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void stepsAlreadyTakenAreSkipped(String behaviour, Row row) {
        WorkaroundPlan plan = plan(row.yaml());
        assertThat(plan.documents()).extracting(WorkaroundDocument::step)
                .filteredOn(step -> step != WorkaroundStep.PROFILE_ANNOTATIONS)
                .containsExactlyElementsOf(row.written());
        assertThat(plan.notes()).containsAll(row.notes());
        if (!row.written().contains(WorkaroundStep.IMAGES_PROFILE)) {
            assertThat(plan.notes()).anyMatch(note -> note instanceof WorkaroundNote.ImagesProfileDone);
        }
        if (row.written().contains(WorkaroundStep.DATA_IMPORT_CRON_TEMPLATES)) {
            WorkaroundDocument.CronTemplates templates = (WorkaroundDocument.CronTemplates)
                    plan.documents(WorkaroundStep.DATA_IMPORT_CRON_TEMPLATES).get(0);
            assertThat(templates.hyperConverged().getSpec().getDataImportCronTemplates())
                    .extracting(t -> t.getMetadata().getName())
                    .containsExactly("centos-stream9-image-cron", "fedora-image-cron");
        }
    }

    private static WorkaroundPlan plan(String yaml) {
        ClusterFileReader reader = new ClusterFileReader();
        reader.add(yaml, "fixture");
        BootSourcePolicy policy = new BootSourcePolicy(CapabilityCatalogLoader.bundled(), PolicyOptions.DEFAULTS);
        return new WorkaroundPlanner(policy).plan(reader.snapshot(), WorkaroundOptions.defaults());
    }
}
