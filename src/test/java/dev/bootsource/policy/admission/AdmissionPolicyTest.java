package dev.bootsource.policy.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bootsource.input.ClusterFileReader;
import dev.bootsource.cluster.ClusterSnapshot;
import dev.bootsource.cluster.ClusterView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static dev.bootsource.policy.admission.AdmissionFixtures.POLICY;
import static dev.bootsource.policy.admission.AdmissionFixtures.dataVolumeReview;
import static dev.bootsource.policy.admission.AdmissionFixtures.gcpCluster;
import static dev.bootsource.policy.admission.AdmissionFixtures.object;
import static dev.bootsource.policy.admission.AdmissionFixtures.request;
import static dev.bootsource.policy.admission.AdmissionFixtures.volumeSnapshotReview;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** spec §4, one row per rule: the request, the cluster state, and what BootSource answers. */
class AdmissionPolicyTest {

    private static final AdmissionPolicy ADMISSION = new AdmissionPolicy(POLICY);
    private static final String ACCESS_MODES = "/spec/storage/accessModes";
    private static final String SNAPSHOT_CLASS = "/spec/volumeSnapshotClassName";
    private static final PatchOperation READ_WRITE_ONCE = PatchOperation.add(ACCESS_MODES, List.of("ReadWriteOnce"));

    private static final ClusterSnapshot GCP = gcpCluster();

    @ParameterizedTest(name = "{0}")
    @MethodSource({"dataVolumes", "volumeSnapshots", "scope"})
    void decides(String behaviour, ClusterView cluster, ObjectNode review, Expected expected) {
        AdmissionDecision decision = ADMISSION.decide(cluster, request(review));

        assertThat(decision).as(decision.toString()).isInstanceOf(expected.outcome());
        assertThat(decision.patch()).isEqualTo(expected.patch());
        assertThat(decision.reason()).contains(expected.reasonContains());
        if (decision instanceof AdmissionDecision.Unresolved) {
            assertThat(decision.warnings()).containsExactly(decision.reason());
        } else {
            assertThat(decision.warnings()).isEmpty();
        }
    }

    static Stream<Arguments> dataVolumes() {
        return Stream.of(
                row("DataVolume: spec.storage without access modes on a ReadWriteOnce class gets [ReadWriteOnce]",
                        GCP, dataVolumeReview(storageClassName("sp-balanced")),
                        patched("StorageClass sp-balanced imports golden images ReadWriteOnce", READ_WRITE_ONCE)),
                row("DataVolume: the class named in spec.storage.storageClassName decides, not the default",
                        GCP, dataVolumeReview(storageClassName("filestore")),
                        unchanged("StorageClass filestore does not import golden images ReadWriteOnce")),
                row("DataVolume: without storageClassName the default virt class decides",
                        GCP, dataVolumeReview(),
                        patched("default virt StorageClass sp-balanced", READ_WRITE_ONCE)),
                row("DataVolume: without a default virt class the default class decides",
                        gcpCluster(storageClass("sp-balanced", "hyperdisk-balanced", "2026-10-01T09:00:00Z", ""),
                                storageClass("standard-rwo", "pd-balanced", "2026-09-01T09:00:00Z", ""),
                                nonRwoClass("filestore", "2026-09-01T09:00:00Z", DEFAULT)),
                        dataVolumeReview(),
                        unchanged("default StorageClass filestore")),
                row("DataVolume: among several default virt classes the newest creationTimestamp wins",
                        gcpCluster(nonRwoClass("filestore", "2026-11-01T09:00:00Z", DEFAULT_VIRT)),
                        dataVolumeReview(),
                        unchanged("default virt StorageClass filestore")),
                row("DataVolume: among default virt classes created at the same time the smallest name wins",
                        gcpCluster(nonRwoClass("filestore", "2026-10-01T09:00:00Z", DEFAULT_VIRT)),
                        dataVolumeReview(),
                        unchanged("default virt StorageClass filestore")),
                row("DataVolume: explicit access modes are left alone",
                        GCP, dataVolumeReview(accessModes("ReadWriteMany")),
                        unchanged("spec.storage.accessModes [ReadWriteMany] is set explicitly")),
                row("DataVolume: an empty access-mode list counts as none",
                        GCP, dataVolumeReview(accessModes()),
                        patched("default virt StorageClass sp-balanced", READ_WRITE_ONCE)),
                row("DataVolume: spec.pvc, whose access modes are always explicit, is left alone",
                        GCP, dataVolumeReview(review -> {
                            ObjectNode spec = object(review).withObject("/spec");
                            spec.set("pvc", spec.remove("storage"));
                            spec.withObject("/pvc").putArray("accessModes").add("ReadWriteMany");
                        }),
                        unchanged("uses spec.pvc")),
                row("DataVolume: a class whose profile opts out (useReadWriteOnceForBootSources=false) is left alone",
                        gcpCluster(profile("sp-balanced", "cdi.kubevirt.io/useReadWriteOnceForBootSources: \"false\"")),
                        dataVolumeReview(),
                        unchanged("effective cdi.kubevirt.io/useReadWriteOnceForBootSources is not true")),
                row("DataVolume: upstream CDI's useReadWriteOnceForDataImportCron on the profile is followed",
                        gcpCluster(profile("sp-balanced", "cdi.kubevirt.io/useReadWriteOnceForDataImportCron: \"false\"")),
                        dataVolumeReview(),
                        unchanged("does not import golden images ReadWriteOnce")),
                row("DataVolume: regional Hyperdisk still imports ReadWriteOnce",
                        GCP, dataVolumeReview(storageClassName("sp-balanced-ha")),
                        patched("StorageClass sp-balanced-ha imports golden images ReadWriteOnce", READ_WRITE_ONCE)),
                row("DataVolume: a storage class that does not exist gives a warning and no patch",
                        GCP, dataVolumeReview(storageClassName("missing")),
                        unresolved("StorageClass missing does not exist")),
                row("DataVolume: no default class gives a warning and no patch",
                        gcpCluster(storageClass("sp-balanced", "hyperdisk-balanced", "2026-10-01T09:00:00Z", ""),
                                storageClass("standard-rwo", "pd-balanced", "2026-09-01T09:00:00Z", "")),
                        dataVolumeReview(),
                        unresolved("there is no default one")),
                row("DataVolume: a class without a StorageProfile gives a warning and no patch",
                        gcpCluster(storageClass("fresh", "hyperdisk-balanced", "2026-11-01T09:00:00Z", "")),
                        dataVolumeReview(storageClassName("fresh")),
                        unresolved("StorageProfile fresh does not exist yet")),
                row("DataVolume: an empty storageClassName asks for no class: a warning and no patch",
                        GCP, dataVolumeReview(storageClassName("")),
                        unresolved("storageClassName is empty")));
    }

    static Stream<Arguments> volumeSnapshots() {
        return Stream.of(
                row("VolumeSnapshot: a golden snapshot on another class gets the effective boot-source class",
                        GCP, volumeSnapshotReview(),
                        patched("StorageClass sp-balanced takes golden snapshots with VolumeSnapshotClass sp-balanced-images",
                                PatchOperation.replace(SNAPSHOT_CLASS, "sp-balanced-images"))),
                row("VolumeSnapshot: a golden snapshot without a class gets the class added",
                        GCP, volumeSnapshotReview(review -> object(review).withObject("/spec").remove("volumeSnapshotClassName")),
                        patched("sp-balanced-images", PatchOperation.add(SNAPSHOT_CLASS, "sp-balanced-images"))),
                row("VolumeSnapshot: a golden snapshot already on the boot-source class is unchanged",
                        GCP, volumeSnapshotReview(snapshotClass("sp-balanced-images")),
                        unchanged("already uses the boot-source snapshot class sp-balanced-images")),
                row("VolumeSnapshot: a snapshot of a ReadWriteMany PVC keeps its class",
                        gcpCluster(claim("sp-balanced", "[ReadWriteOnce, ReadWriteMany]")),
                        volumeSnapshotReview(),
                        unchanged("is ReadWriteMany")),
                row("VolumeSnapshot: a PVC without storageClassName is resolved like a DataVolume (default virt class)",
                        gcpCluster(claim(null, "[ReadWriteOnce]")),
                        volumeSnapshotReview(),
                        patched("default virt StorageClass sp-balanced", PatchOperation.replace(SNAPSHOT_CLASS, "sp-balanced-images"))),
                row("VolumeSnapshot: a class not imported ReadWriteOnce has no boot-source class",
                        gcpCluster(claim("filestore", "[ReadWriteOnce]")),
                        volumeSnapshotReview(),
                        unchanged("golden images are not imported ReadWriteOnce")),
                row("VolumeSnapshot: regional Hyperdisk has no boot-source class",
                        gcpCluster(claim("sp-balanced-ha", "[ReadWriteOnce]")),
                        volumeSnapshotReview(),
                        unchanged("regional")),
                row("VolumeSnapshot: a snapshot class a user set on the profile is used",
                        gcpCluster(profile("sp-balanced", "cdi.kubevirt.io/snapshotClassForBootSources: my-images"),
                                snapshotClassNamed("my-images", "")),
                        volumeSnapshotReview(),
                        patched("VolumeSnapshotClass my-images", PatchOperation.replace(SNAPSHOT_CLASS, "my-images"))),
                row("VolumeSnapshot: where CDI manages boot sources (its own annotation on a profile) the snapshot is left alone",
                        gcpCluster(profile("sp-balanced", "cdi.kubevirt.io/snapshotClassForDataImportCron: upstream-images"),
                                snapshotClassNamed("upstream-images", "")),
                        volumeSnapshotReview(),
                        unchanged("CDI manages boot sources")),
                row("VolumeSnapshot: the source PVC is found in the request's namespace when the object has none",
                        GCP, volumeSnapshotReview(review -> object(review).withObject("/metadata").remove("namespace")),
                        patched("sp-balanced-images", PatchOperation.replace(SNAPSHOT_CLASS, "sp-balanced-images"))),
                row("VolumeSnapshot: a PVC of that name in another namespace does not count",
                        GCP, volumeSnapshotReview(review -> review.withObject("/request").put("namespace", "elsewhere")),
                        unresolved("source PersistentVolumeClaim elsewhere/fedora-a5e9cbcd3bcb is not known")),
                row("VolumeSnapshot: no such PVC gives a warning and no patch",
                        GCP, volumeSnapshotReview(review -> object(review).withObject("/spec/source")
                                .put("persistentVolumeClaimName", "missing")),
                        unresolved("source PersistentVolumeClaim kubevirt-os-images/missing is not known")),
                row("VolumeSnapshot: a snapshot not taken from a PVC gives a warning and no patch",
                        GCP, volumeSnapshotReview(review -> {
                            ObjectNode source = object(review).withObject("/spec/source");
                            source.remove("persistentVolumeClaimName");
                            source.put("volumeSnapshotContentName", "pre-provisioned");
                        }),
                        unresolved("not taken from a PersistentVolumeClaim")),
                row("VolumeSnapshot: a PVC class without a StorageProfile gives a warning and no patch",
                        gcpCluster(storageClass("fresh", "hyperdisk-balanced", "2026-11-01T09:00:00Z", ""),
                                claim("fresh", "[ReadWriteOnce]")),
                        volumeSnapshotReview(),
                        unresolved("StorageProfile fresh does not exist yet")),
                row("VolumeSnapshot: a PVC class that does not exist gives a warning and no patch",
                        gcpCluster(claim("gone", "[ReadWriteOnce]")),
                        volumeSnapshotReview(),
                        unresolved("StorageClass gone does not exist")),
                row("VolumeSnapshot: a boot-source class that does not exist yet is not set (warning, no patch)",
                        cluster(storageClass("sp-balanced", "hyperdisk-balanced", "2026-10-01T09:00:00Z", ""),
                                profile("sp-balanced", ""), claim("sp-balanced", "[ReadWriteOnce]")),
                        volumeSnapshotReview(),
                        unresolved("VolumeSnapshotClass sp-balanced-images of StorageClass sp-balanced does not exist (yet)")),
                row("VolumeSnapshot: a user-set boot-source class that is being deleted is not effective, so not set",
                        gcpCluster(profile("sp-balanced", "cdi.kubevirt.io/snapshotClassForBootSources: leaving-images"),
                                snapshotClassNamed("leaving-images", "deletionTimestamp: \"2026-11-22T02:00:00Z\"")),
                        volumeSnapshotReview(),
                        unchanged("no boot-source snapshot class")));
    }

    static Stream<Arguments> scope() {
        return Stream.of(
                row("UPDATE is not enforced", GCP, dataVolumeReview(operation("UPDATE")), ignored("UPDATE is not enforced")),
                row("DELETE is not enforced", GCP, volumeSnapshotReview(operation("DELETE"),
                        review -> review.withObject("/request").putNull("object")), ignored("DELETE is not enforced")),
                row("CONNECT is not enforced", GCP, dataVolumeReview(operation("CONNECT")), ignored("CONNECT is not enforced")),
                row("a DataVolume without the DataImportCron label is not enforced",
                        GCP, dataVolumeReview(withoutCronLabel()), ignored("no cdi.kubevirt.io/dataImportCron label")),
                row("a VolumeSnapshot without the DataImportCron label is not enforced",
                        GCP, volumeSnapshotReview(withoutCronLabel()), ignored("no cdi.kubevirt.io/dataImportCron label")),
                row("the DataImportCron label counts whatever its value, even empty",
                        GCP, dataVolumeReview(review -> object(review).withObject("/metadata/labels")
                                .put("cdi.kubevirt.io/dataImportCron", "")),
                        patched("default virt StorageClass sp-balanced", READ_WRITE_ONCE)),
                row("other kinds are not enforced, even with the label",
                        GCP, dataVolumeReview(review -> review.withObject("/request/kind")
                                .put("group", "").put("kind", "PersistentVolumeClaim")),
                        ignored("not PersistentVolumeClaim")),
                row("a DataVolume kind of another API group is not enforced",
                        GCP, dataVolumeReview(review -> review.withObject("/request/kind").put("group", "example.com")),
                        ignored("not example.com/DataVolume")),
                row("a DataVolume whose spec does not fit its kind gives a warning and no patch",
                        GCP, dataVolumeReview(review -> object(review).withObject("/spec").put("storage", "lots")),
                        unresolved("cannot read the DataVolume")));
    }

    @Test
    void jsonPointersEscapeTildeAndSlash() {
        assertThat(PatchOperation.pointer("metadata", "labels", "cdi.kubevirt.io/dataImportCron", "a~b"))
                .isEqualTo("/metadata/labels/cdi.kubevirt.io~1dataImportCron/a~0b");
        assertThat(PatchOperation.pointer("spec", "storage", "accessModes")).isEqualTo(ACCESS_MODES);
    }

    @Test
    void theSameStateGivesTheSameDecision() {
        AdmissionRequest request = request(dataVolumeReview());
        assertThat(ADMISSION.decide(GCP, request)).isEqualTo(ADMISSION.decide(GCP, request));
    }

    // --- expectations

    record Expected(Class<? extends AdmissionDecision> outcome, List<PatchOperation> patch, String reasonContains) {
    }

    private static Arguments row(String behaviour, ClusterView cluster, ObjectNode review, Expected expected) {
        return arguments(behaviour, cluster, review, expected);
    }

    private static Expected patched(String reason, PatchOperation... patch) {
        return new Expected(AdmissionDecision.Mutate.class, List.of(patch), reason);
    }

    private static Expected unchanged(String reason) {
        return new Expected(AdmissionDecision.Unchanged.class, List.of(), reason);
    }

    private static Expected unresolved(String reason) {
        return new Expected(AdmissionDecision.Unresolved.class, List.of(), reason);
    }

    private static Expected ignored(String reason) {
        return new Expected(AdmissionDecision.Ignored.class, List.of(), reason);
    }

    // --- request edits

    private static Consumer<ObjectNode> storageClassName(String name) {
        return review -> object(review).withObject("/spec/storage").put("storageClassName", name);
    }

    private static Consumer<ObjectNode> accessModes(String... modes) {
        return review -> {
            var array = object(review).withObject("/spec/storage").putArray("accessModes");
            for (String mode : modes) {
                array.add(mode);
            }
        };
    }

    private static Consumer<ObjectNode> snapshotClass(String name) {
        return review -> object(review).withObject("/spec").put("volumeSnapshotClassName", name);
    }

    private static Consumer<ObjectNode> operation(String operation) {
        return review -> review.withObject("/request").put("operation", operation);
    }

    private static Consumer<ObjectNode> withoutCronLabel() {
        return review -> object(review).withObject("/metadata/labels").remove("cdi.kubevirt.io/dataImportCron");
    }

    // --- cluster state, as kubectl prints it

    private static final String DEFAULT = "storageclass.kubernetes.io/is-default-class: \"true\"";
    private static final String DEFAULT_VIRT = "storageclass.kubevirt.io/is-default-virt-class: \"true\"";

    private static ClusterSnapshot cluster(String... yaml) {
        ClusterFileReader reader = new ClusterFileReader();
        for (String text : yaml) {
            reader.add(text, "test state");
        }
        return reader.snapshot();
    }

    private static String storageClass(String name, String hyperdiskType, String created, String annotation) {
        return """
                apiVersion: storage.k8s.io/v1
                kind: StorageClass
                metadata:
                  name: %s
                  creationTimestamp: "%s"
                  annotations: {%s}
                provisioner: pd.csi.storage.gke.io
                parameters:
                  type: %s
                """.formatted(name, created, annotation, hyperdiskType);
    }

    private static String nonRwoClass(String name, String created, String annotation) {
        return """
                apiVersion: storage.k8s.io/v1
                kind: StorageClass
                metadata:
                  name: %s
                  creationTimestamp: "%s"
                  annotations: {%s}
                provisioner: filestore.csi.storage.gke.io
                """.formatted(name, created, annotation);
    }

    private static String profile(String name, String annotation) {
        return """
                apiVersion: cdi.kubevirt.io/v1beta1
                kind: StorageProfile
                metadata:
                  name: %s
                  annotations: {%s}
                spec: {}
                """.formatted(name, annotation);
    }

    private static String snapshotClassNamed(String name, String metadataLine) {
        return """
                apiVersion: snapshot.storage.k8s.io/v1
                kind: VolumeSnapshotClass
                metadata:
                  name: %s
                  %s
                driver: pd.csi.storage.gke.io
                deletionPolicy: Delete
                """.formatted(name, metadataLine);
    }

    /** The golden image's PVC the fixture snapshot is taken from, with this class and these access modes. */
    private static String claim(String storageClassName, String accessModes) {
        return """
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata:
                  name: fedora-a5e9cbcd3bcb
                  namespace: kubevirt-os-images
                spec:
                  accessModes: %s
                  %s
                  resources:
                    requests:
                      storage: 30Gi
                """.formatted(accessModes, storageClassName == null ? "" : "storageClassName: " + storageClassName);
    }
}
