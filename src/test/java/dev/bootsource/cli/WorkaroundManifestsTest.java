package dev.bootsource.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bootsource.TestResources;
import dev.bootsource.capabilities.CapabilityCatalogLoader;
import dev.bootsource.input.ClusterFileReader;
import dev.bootsource.policy.BootSourcePolicy;
import dev.bootsource.policy.PolicyOptions;
import dev.bootsource.policy.workaround.WorkaroundOptions;
import dev.bootsource.policy.workaround.WorkaroundPlanner;
import dev.bootsource.policy.workaround.WorkaroundStep;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * steps 1-6 of the manual GCP workaround as manifests, as planned and put in words and YAML trees: one row per behaviour,
 * on a GCP cluster before the workaround.
 */
class WorkaroundManifestsTest {

    private static final String BEFORE = TestResources.text("/verify/gcp-before-workaround.yaml");
    private static final String NS = "kubevirt-os-images";

    record Row(String yaml, WorkaroundOptions options, Consumer<WorkaroundManifests> expect) {
    }

    static Stream<Arguments> rows() {
        return Stream.of(
                row("the images snapshot class is the one the operator would create, never the default", "", defaults(), w -> {
                    Manifest vsc = only(w, WorkaroundStep.SNAPSHOT_CLASS);
                    JsonNode doc = vsc.document();
                    assertThat(vsc.name()).isEqualTo("sp-balanced-images");
                    assertThat(doc.path("driver").asText()).isEqualTo("pd.csi.storage.gke.io");
                    assertThat(doc.path("parameters").path("snapshot-type").asText()).isEqualTo("images");
                    assertThat(doc.path("deletionPolicy").asText()).isEqualTo("Delete");
                    assertThat(doc.path("metadata").path("annotations")
                            .path("snapshot.storage.kubernetes.io/is-default-class").asText()).isEqualTo("false");
                    assertThat(vsc.comments()).anyMatch(c -> c.contains("step 3 of the manual GCP workaround"));
                }),
                row("no snapshot class is written when a matching one exists", IMAGES_VSC, defaults(), w -> {
                    assertThat(w.manifests(WorkaroundStep.SNAPSHOT_CLASS)).isEmpty();
                    assertThat(w.header()).contains("Step 3: no VolumeSnapshotClass to create: the boot-source class(es) cnv-images exist already");
                }),
                row("profile annotations patch metadata.annotations only, never the spec", "", defaults(), w -> {
                    Manifest profile = named(w, WorkaroundStep.PROFILE_ANNOTATIONS, "sp-balanced");
                    JsonNode doc = profile.document();
                    assertThat(fieldNames(doc)).containsExactly("apiVersion", "kind", "metadata");
                    assertThat(fieldNames(doc.path("metadata"))).containsExactly("name", "annotations");
                    assertThat(doc.path("metadata").path("annotations").path("cdi.kubevirt.io/useReadWriteOnceForBootSources")
                            .asText()).isEqualTo("true");
                    assertThat(doc.path("metadata").path("annotations").path("cdi.kubevirt.io/snapshotClassForBootSources")
                            .asText()).isEqualTo("sp-balanced-images");
                    assertThat(doc.path("metadata").path("annotations").has("bootsource.dev/managed-annotations")).isFalse();
                    assertThat(profile.comments()).anyMatch(c -> c.equals("Same as: kubectl annotate storageprofile sp-balanced "
                            + "cdi.kubevirt.io/useReadWriteOnceForBootSources=true "
                            + "cdi.kubevirt.io/snapshotClassForBootSources=sp-balanced-images --overwrite"));
                }),
                row("a profile with nothing pending gets no document", "", defaults(), w ->
                        assertThat(w.manifests(WorkaroundStep.PROFILE_ANNOTATIONS)).extracting(Manifest::name)
                                .containsExactly("sp-balanced")),
                row("an admin's opt-out is left alone and needs no images-only class", OPTED_OUT, defaults(), w -> {
                    assertThat(w.manifests(WorkaroundStep.PROFILE_ANNOTATIONS)).isEmpty();
                    assertThat(w.manifests(WorkaroundStep.IMAGES_STORAGE_CLASS)).isEmpty();
                    assertThat(w.header()).anyMatch(h -> h.startsWith("Steps 1, 4, 5 are not needed")
                            && h.contains("is \"false\""));
                }),
                row("a value BootSource set that the policy no longer calls for is removed with null", CEPH_WITH_OWNED_RWO,
                        defaults(), w -> {
                            Manifest profile = named(w, WorkaroundStep.PROFILE_ANNOTATIONS, "ceph-rbd");
                            JsonNode annotations = profile.document().path("metadata").path("annotations");
                            assertThat(annotations.has("cdi.kubevirt.io/useReadWriteOnceForBootSources")).isTrue();
                            assertThat(annotations.get("cdi.kubevirt.io/useReadWriteOnceForBootSources").isNull()).isTrue();
                            assertThat(profile.comments()).anyMatch(c -> c.contains("cdi.kubevirt.io/useReadWriteOnceForBootSources-"));
                        }),
                row("the images-only class copies the default virt class and is not a default", "", defaults(), w -> {
                    Manifest sc = only(w, WorkaroundStep.IMAGES_STORAGE_CLASS);
                    JsonNode doc = sc.document();
                    assertThat(sc.name()).isEqualTo("sp-balanced-images");
                    assertThat(doc.path("provisioner").asText()).isEqualTo("pd.csi.storage.gke.io");
                    assertThat(doc.path("parameters").path("type").asText()).isEqualTo("hyperdisk-balanced");
                    assertThat(doc.path("reclaimPolicy").asText()).isEqualTo("Delete");
                    assertThat(doc.path("volumeBindingMode").asText()).isEqualTo("WaitForFirstConsumer");
                    assertThat(doc.path("allowVolumeExpansion").asBoolean()).isTrue();
                    JsonNode annotations = doc.path("metadata").path("annotations");
                    assertThat(annotations.path("storageclass.kubernetes.io/is-default-class").asText()).isEqualTo("false");
                    assertThat(annotations.path("storageclass.kubevirt.io/is-default-virt-class").asText()).isEqualTo("false");
                    assertThat(annotations.path("bootsource.dev/created-for-storage-class").asText()).isEqualTo("sp-balanced");
                    assertThat(doc.path("metadata").has("creationTimestamp")).isFalse();
                }),
                row("--storage-class names the class to copy", SECOND_GCP_CLASS,
                        new WorkaroundOptions(Optional.of("sp-extreme"), "kubevirt-hyperconverged", "kubevirt-hyperconverged", true),
                        w -> {
                            assertThat(only(w, WorkaroundStep.IMAGES_STORAGE_CLASS).name()).isEqualTo("sp-extreme-images");
                            assertThat(w.header()).anyMatch(h -> h.startsWith("Step 5: no DataImportCron in the input imports onto sp-extreme"));
                        }),
                row("an existing images-only copy (the manual GCP workaround's cnv-images) is reused, not written again", SEED_COPY + IMAGES_VSC,
                        defaults(), w -> {
                            assertThat(w.manifests(WorkaroundStep.IMAGES_STORAGE_CLASS)).isEmpty();
                            assertThat(w.header()).contains("Step 1: StorageClass cnv-images, an images-only copy of sp-balanced, "
                                    + "exists already and is used");
                            assertThat(only(w, WorkaroundStep.IMAGES_PROFILE).name()).isEqualTo("cnv-images");
                            assertThat(templates(w).get(1).path("spec").path("template").path("spec").path("storage")
                                    .path("storageClassName").asText()).isEqualTo("cnv-images");
                        }),
                row("the images-only profile carries RWO, the snapshot class and spec.snapshotClass, never claimPropertySets", "",
                        defaults(), w -> {
                            Manifest profile = only(w, WorkaroundStep.IMAGES_PROFILE);
                            JsonNode doc = profile.document();
                            assertThat(profile.name()).isEqualTo("sp-balanced-images");
                            JsonNode annotations = doc.path("metadata").path("annotations");
                            assertThat(annotations.path("cdi.kubevirt.io/useReadWriteOnceForBootSources").asText()).isEqualTo("true");
                            assertThat(annotations.path("cdi.kubevirt.io/snapshotClassForBootSources").asText()).isEqualTo("sp-balanced-images");
                            assertThat(annotations.path("cdi.kubevirt.io/minimumSupportedPvcSize").asText()).isEqualTo("4Gi");
                            assertThat(fieldNames(doc.path("spec"))).containsExactly("snapshotClass");
                            assertThat(doc.path("spec").path("snapshotClass").asText()).isEqualTo("sp-balanced-images");
                            assertThat(profile.comments()).anyMatch(c -> c.contains("claimPropertySets are not filtered"));
                        }),
                row("a regional default class gets an images-only profile without a snapshot class", REGIONAL_DEFAULT, defaults(), w -> {
                    Manifest profile = only(w, WorkaroundStep.IMAGES_PROFILE);
                    assertThat(profile.document().has("spec")).isFalse();
                    assertThat(profile.document().path("metadata").path("annotations").has("cdi.kubevirt.io/snapshotClassForBootSources")).isFalse();
                    assertThat(profile.comments()).anyMatch(c -> c.startsWith("No boot-source snapshot class"));
                }),
                row("templates point the crons of the default class at the copy, ReadWriteOnce, and name the others", "",
                        defaults(), w -> {
                            List<JsonNode> templates = templates(w);
                            assertThat(templates).extracting(t -> t.path("metadata").path("name").asText())
                                    .containsExactly("centos-stream9-image-cron", "fedora-image-cron");
                            JsonNode storage = templates.get(1).path("spec").path("template").path("spec").path("storage");
                            assertThat(storage.path("storageClassName").asText()).isEqualTo("sp-balanced-images");
                            assertThat(storage.path("accessModes").toString()).isEqualTo("[\"ReadWriteOnce\"]");
                            assertThat(storage.path("resources").path("requests").path("storage").asText()).isEqualTo("5Gi");
                            assertThat(only(w, WorkaroundStep.DATA_IMPORT_CRON_TEMPLATES).comments())
                                    .anyMatch(c -> c.equals("Not listed, they import onto other classes: " + NS + "/ubuntu-image-cron (ceph-rbd)"));
                        }),
                row("a template keeps the cron's schedule, source and own metadata but not what controllers wrote", "",
                        defaults(), w -> {
                            JsonNode fedora = templates(w).get(1);
                            JsonNode spec = fedora.path("spec");
                            assertThat(fieldNames(spec)).containsExactly("garbageCollect", "managedDataSource", "schedule",
                                    "importsToKeep", "template");
                            assertThat(spec.path("schedule").asText()).isEqualTo("0 */12 * * *");
                            assertThat(spec.path("template").path("spec").path("source").path("registry").path("url").asText())
                                    .isEqualTo("docker://quay.io/containerdisks/fedora:latest");
                            assertThat(fieldNames(fedora.path("metadata").path("annotations")))
                                    .containsExactly("cdi.kubevirt.io/storage.bind.immediate.requested");
                            assertThat(fieldNames(fedora.path("metadata").path("labels")))
                                    .containsExactly("instancetype.kubevirt.io/default-preference");
                        }),
                row("a template with spec.pvc gets the class and access mode there", "", defaults(), w -> {
                    JsonNode centos = templates(w).get(0).path("spec").path("template").path("spec");
                    assertThat(centos.has("storage")).isFalse();
                    assertThat(centos.path("pvc").path("storageClassName").asText()).isEqualTo("sp-balanced-images");
                    assertThat(centos.path("pvc").path("accessModes").toString()).isEqualTo("[\"ReadWriteOnce\"]");
                }),
                row("HyperConverged's namespace and name come from the options", "",
                        new WorkaroundOptions(Optional.empty(), "openshift-cnv", "kubevirt-hyperconverged", true), w -> {
                            JsonNode doc = only(w, WorkaroundStep.DATA_IMPORT_CRON_TEMPLATES).document();
                            assertThat(doc.path("apiVersion").asText()).isEqualTo("hco.kubevirt.io/v1beta1");
                            assertThat(doc.path("metadata").path("namespace").asText()).isEqualTo("openshift-cnv");
                            assertThat(only(w, WorkaroundStep.DATA_IMPORT_CRON_TEMPLATES).comments())
                                    .anyMatch(c -> c.contains("kubectl edit hyperconverged -n openshift-cnv kubevirt-hyperconverged"));
                        }),
                row("without the images-only class only snapshot classes and annotations are written", "",
                        new WorkaroundOptions(Optional.empty(), "kubevirt-hyperconverged", "kubevirt-hyperconverged", false), w ->
                                assertThat(w.manifests()).extracting(Manifest::step)
                                        .containsOnly(WorkaroundStep.SNAPSHOT_CLASS, WorkaroundStep.PROFILE_ANNOTATIONS)),
                row("documents come in the order to apply them", "", defaults(), w ->
                        assertThat(w.manifests()).extracting(Manifest::step).containsExactly(
                                WorkaroundStep.SNAPSHOT_CLASS, WorkaroundStep.PROFILE_ANNOTATIONS,
                                WorkaroundStep.IMAGES_STORAGE_CLASS, WorkaroundStep.IMAGES_PROFILE,
                                WorkaroundStep.DATA_IMPORT_CRON_TEMPLATES)),
                row("stale golden snapshots become Step 6 delete commands, blocked ones say why", "", defaults(), w -> {
                    assertThat(w.closing()).anyMatch(c -> c.startsWith("  kubectl delete volumesnapshot -n " + NS
                            + " fedora-a5e9cbcd3bcb   # csi-gce-pd-vsc -> sp-balanced-images"));
                    assertThat(w.closing()).anyMatch(c -> c.startsWith("  not yet " + NS + "/centos-stream9-2c1f0e7a9b3d: ")
                            && c.contains("not UpToDate"));
                    assertThat(w.closing()).noneMatch(c -> c.contains("kubectl delete volumesnapshot -n " + NS + " centos"));
                }),
                row("Step 6 says so when no golden snapshot is stale", FEDORA_ON_IMAGES, defaults(), w ->
                        assertThat(w.closing()).anyMatch(c -> c.contains("no golden snapshot in the input was taken with the wrong class"))),
                row("Step 2: a regular default snapshot class needs nothing", "", defaults(), w ->
                        assertThat(w.header()).contains("Step 2: VolumeSnapshotClass csi-gce-pd-vsc is the default of driver "
                                + "pd.csi.storage.gke.io, so VM snapshots keep it; nothing to do")),
                row("Step 2: without a default snapshot class the regular one is made the default", REGULAR_NOT_DEFAULT, defaults(), w ->
                        assertThat(w.header()).contains("  kubectl annotate volumesnapshotclass csi-gce-pd-vsc "
                                + "snapshot.storage.kubernetes.io/is-default-class=true --overwrite")),
                row("Step 2: an images class that is the default is made not the default", IMAGES_VSC.replace("\"false\"", "\"true\""),
                        defaults(), w -> assertThat(w.header()).contains("  kubectl annotate volumesnapshotclass cnv-images "
                                + "snapshot.storage.kubernetes.io/is-default-class=false --overwrite")),
                row("steps already taken are skipped, each with a line saying it is done", ALL_TAKEN, defaults(), w -> {
                    assertThat(w.manifests()).extracting(Manifest::step).doesNotContain(WorkaroundStep.SNAPSHOT_CLASS,
                            WorkaroundStep.IMAGES_STORAGE_CLASS, WorkaroundStep.IMAGES_PROFILE, WorkaroundStep.DATA_IMPORT_CRON_TEMPLATES);
                    assertThat(w.header()).contains(
                            "Step 1: StorageClass cnv-images, an images-only copy of sp-balanced, exists already and is used",
                            "Step 3: no VolumeSnapshotClass to create: the boot-source class(es) cnv-images exist already",
                            "Step 4: StorageProfile cnv-images names cnv-images as its snapshot class; done",
                            "Step 5: the DataImportCrons " + NS + "/centos-stream9-image-cron, " + NS
                                    + "/fedora-image-cron import onto cnv-images already; done");
                }),
                row("no DataImportCron on the default class means no HyperConverged document", CRONS_ELSEWHERE, defaults(), w -> {
                    assertThat(w.manifests(WorkaroundStep.DATA_IMPORT_CRON_TEMPLATES)).isEmpty();
                    assertThat(w.header()).anyMatch(h -> h.startsWith("Step 5: no DataImportCron in the input imports onto sp-balanced"));
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void workaround(Row row) {
        row.expect().accept(plan(row.yaml(), row.options()));
    }

    @Test
    void unknownStorageClassIsBadInput() {
        WorkaroundOptions options = new WorkaroundOptions(Optional.of("nope"), "ns", "hco", true);
        assertThatThrownBy(() -> plan(BEFORE, options))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("StorageClass nope (--storage-class) is not in the input");
    }

    @Test
    void sameStateSameManifests() {
        assertThat(plan(BEFORE, defaults())).isEqualTo(plan(BEFORE, defaults()));
    }

    static WorkaroundManifests plan(String yaml, WorkaroundOptions options) {
        ClusterFileReader reader = new ClusterFileReader();
        reader.add(yaml, "fixture");
        BootSourcePolicy policy = new BootSourcePolicy(CapabilityCatalogLoader.bundled(), PolicyOptions.DEFAULTS);
        return WorkaroundReport.manifests(new WorkaroundPlanner(policy).plan(reader.snapshot(), options));
    }

    private static WorkaroundOptions defaults() {
        return WorkaroundOptions.defaults();
    }

    private static Arguments row(String name, String extraYaml, WorkaroundOptions options, Consumer<WorkaroundManifests> expect) {
        String yaml = extraYaml.startsWith(BEFORE.lines().findFirst().orElseThrow()) ? extraYaml : BEFORE + extraYaml;
        return Arguments.of(Named.of(name, new Row(yaml, options, expect)));
    }

    private static Manifest only(WorkaroundManifests workaround, WorkaroundStep step) {
        assertThat(workaround.manifests(step)).as("manifests of %s", step).hasSize(1);
        return workaround.manifests(step).get(0);
    }

    private static Manifest named(WorkaroundManifests workaround, WorkaroundStep step, String name) {
        return workaround.manifests(step).stream().filter(m -> m.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + step + " manifest named " + name + " in " + workaround.manifests()));
    }

    private static List<JsonNode> templates(WorkaroundManifests workaround) {
        JsonNode list = only(workaround, WorkaroundStep.DATA_IMPORT_CRON_TEMPLATES).document().path("spec").path("dataImportCronTemplates");
        return Stream.iterate(0, i -> i < list.size(), i -> i + 1).map(list::get).toList();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static final String IMAGES_VSC = """
            ---
            apiVersion: snapshot.storage.k8s.io/v1
            kind: VolumeSnapshotClass
            metadata:
              name: cnv-images
              annotations:
                snapshot.storage.kubernetes.io/is-default-class: "false"
            driver: pd.csi.storage.gke.io
            deletionPolicy: Delete
            parameters:
              snapshot-type: images
            """;

    private static final String SEED_COPY = """
            ---
            apiVersion: storage.k8s.io/v1
            kind: StorageClass
            metadata:
              name: cnv-images
              annotations:
                storageclass.kubernetes.io/is-default-class: "false"
            provisioner: pd.csi.storage.gke.io
            parameters:
              type: hyperdisk-balanced
            """;

    private static final String OPTED_OUT = """
            ---
            apiVersion: cdi.kubevirt.io/v1beta1
            kind: StorageProfile
            metadata:
              name: sp-balanced
              annotations:
                cdi.kubevirt.io/minimumSupportedPvcSize: 4Gi
                cdi.kubevirt.io/useReadWriteOnceForBootSources: "false"
            """;

    private static final String CEPH_WITH_OWNED_RWO = """
            ---
            apiVersion: cdi.kubevirt.io/v1beta1
            kind: StorageProfile
            metadata:
              name: ceph-rbd
              annotations:
                cdi.kubevirt.io/useReadWriteOnceForBootSources: "true"
                bootsource.dev/managed-annotations: '{"cdi.kubevirt.io/useReadWriteOnceForBootSources":"true"}'
            """;

    private static final String SECOND_GCP_CLASS = """
            ---
            apiVersion: storage.k8s.io/v1
            kind: StorageClass
            metadata:
              name: sp-extreme
            provisioner: pd.csi.storage.gke.io
            parameters:
              type: hyperdisk-extreme
            """;

    private static final String REGIONAL_DEFAULT = """
            ---
            apiVersion: storage.k8s.io/v1
            kind: StorageClass
            metadata:
              name: sp-balanced
              annotations:
                storageclass.kubevirt.io/is-default-virt-class: "true"
            provisioner: pd.csi.storage.gke.io
            parameters:
              type: hyperdisk-balanced-high-availability
            """;

    private static final String REGULAR_NOT_DEFAULT = """
            ---
            apiVersion: snapshot.storage.k8s.io/v1
            kind: VolumeSnapshotClass
            metadata:
              name: csi-gce-pd-vsc
            driver: pd.csi.storage.gke.io
            deletionPolicy: Delete
            """;

    /** Every golden snapshot already on the class the policy calls for. */
    private static final String FEDORA_ON_IMAGES = BEFORE.replace("volumeSnapshotClassName: csi-gce-pd-vsc",
            "volumeSnapshotClassName: sp-balanced-images") + """
            ---
            apiVersion: snapshot.storage.k8s.io/v1
            kind: VolumeSnapshotClass
            metadata:
              name: sp-balanced-images
            driver: pd.csi.storage.gke.io
            parameters:
              snapshot-type: images
            """;

    /** The manual workaround's Steps 1, 3, 4 and 5 taken by hand: cnv-images, its profile, the crons on it. */
    private static final String ALL_TAKEN = BEFORE
            .replace("      storage:\n        resources:", "      storage:\n        storageClassName: cnv-images\n        resources:")
            .replace("accessModes: [ReadWriteMany]\n        storageClassName: sp-balanced",
                    "accessModes: [ReadWriteOnce]\n        storageClassName: cnv-images")
            + SEED_COPY + IMAGES_VSC + """
            ---
            apiVersion: cdi.kubevirt.io/v1beta1
            kind: StorageProfile
            metadata:
              name: cnv-images
            spec:
              claimPropertySets:
              - accessModes: [ReadWriteOnce]
                volumeMode: Block
              - accessModes: [ReadWriteOnce]
                volumeMode: Filesystem
              snapshotClass: cnv-images
            """;

    private static final String CRONS_ELSEWHERE = """
            ---
            apiVersion: cdi.kubevirt.io/v1beta1
            kind: DataImportCron
            metadata:
              name: fedora-image-cron
              namespace: kubevirt-os-images
            spec:
              template:
                spec:
                  storage:
                    storageClassName: ceph-rbd
            ---
            apiVersion: cdi.kubevirt.io/v1beta1
            kind: DataImportCron
            metadata:
              name: centos-stream9-image-cron
              namespace: kubevirt-os-images
            spec:
              template:
                spec:
                  storage:
                    storageClassName: ceph-rbd
            """;
}
