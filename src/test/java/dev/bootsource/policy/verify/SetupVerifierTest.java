package dev.bootsource.policy.verify;

import dev.bootsource.TestResources;
import dev.bootsource.capabilities.CapabilityCatalogLoader;
import dev.bootsource.input.ClusterFileReader;
import dev.bootsource.policy.BootSourcePolicy;
import dev.bootsource.policy.PolicyOptions;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** step 7 of the manual GCP workaround as checks: one row per behaviour, on a complete GCP set-up changed one object at a time. */
class SetupVerifierTest {

    private static final String READY = TestResources.text("/verify/gcp-ready.yaml");
    private static final String NS = "kubevirt-os-images";
    private static final String SNAPSHOT = "VolumeSnapshot " + NS + "/fedora-a5e9cbcd3bcb";
    private static final String VOLUME = "PersistentVolumeClaim " + NS + "/fedora-a5e9cbcd3bcb";
    private static final String CRON = "DataImportCron " + NS + "/fedora-image-cron";
    private static final String GCP_VSC_DEFAULT = "default VolumeSnapshotClass for pd.csi.storage.gke.io";

    record Row(String yaml, String subject, String check, CheckResult result, String reasonContains) {
    }

    static Stream<Arguments> rows() {
        return Stream.of(
                row("golden snapshot on the boot-source class passes",
                        "", SNAPSHOT, "snapshot class", CheckResult.PASS, "taken with sp-balanced-images"),
                row("golden snapshot on the regular class fails",
                        snapshot("csi-gce-pd-vsc", ""), SNAPSHOT, "snapshot class", CheckResult.FAIL,
                        "taken with csi-gce-pd-vsc, but StorageClass sp-balanced calls for sp-balanced-images"),
                row("golden snapshot without a class fails as taken with the default class",
                        snapshot(null, ""), SNAPSHOT, "snapshot class", CheckResult.FAIL, "taken with the default class"),
                row("golden snapshot being deleted warns",
                        snapshot("csi-gce-pd-vsc", "  deletionTimestamp: \"2026-10-01T00:00:00Z\"\n"), SNAPSHOT,
                        "snapshot class", CheckResult.WARN, "being deleted"),
                row("golden snapshot of a regional class warns that there is no boot-source class",
                        REGIONAL + cronOn("sp-regional"), SNAPSHOT, "snapshot class", CheckResult.WARN,
                        "cannot take 'images' snapshots of regional disks"),
                row("golden snapshot of a class outside the RWO set passes with any class",
                        snapshot("csi-gce-pd-vsc", "") + CEPH + cronOn("ceph-rbd"), SNAPSHOT, "snapshot class",
                        CheckResult.PASS, "no boot-source class applies"),
                row("golden snapshot of an opted-out class passes with the regular class",
                        snapshot("csi-gce-pd-vsc", "") + profile("cdi.kubevirt.io/useReadWriteOnceForBootSources: \"false\""),
                        SNAPSHOT, "snapshot class", CheckResult.PASS, "not imported ReadWriteOnce"),
                row("golden snapshot whose DataImportCron is not in the input warns",
                        snapshotOf("gone-image-cron"), "VolumeSnapshot " + NS + "/gone-1", "snapshot class",
                        CheckResult.WARN, "DataImportCron " + NS + "/gone-image-cron is not in the input"),
                row("DataImportCron on the default virt class passes and says where it imports",
                        "", CRON, "storage class", CheckResult.PASS,
                        "imports onto StorageClass sp-balanced (default virt class): golden images ReadWriteOnce, "
                                + "snapshots with sp-balanced-images"),
                row("DataImportCron naming a missing storage class fails",
                        cronOn("no-such-class"), CRON, "storage class", CheckResult.FAIL,
                        "names StorageClass no-such-class, which does not exist"),
                row("DataImportCron with no class in a cluster without a default fails",
                        NOT_DEFAULT, CRON, "storage class", CheckResult.FAIL, "no default (virt) class"),
                row("DataImportCron with no golden image in the input warns",
                        otherCron(), "DataImportCron " + NS + "/centos-image-cron", "golden image", CheckResult.WARN,
                        "no golden VolumeSnapshot or PVC"),
                row("golden volume imported ReadWriteOnce passes",
                        "", VOLUME, "access modes", CheckResult.PASS, "access modes [ReadWriteOnce]"),
                row("golden volume imported ReadWriteMany fails",
                        volume("[ReadWriteMany]", "sp-balanced"), VOLUME, "access modes", CheckResult.FAIL,
                        "must be imported ReadWriteOnce"),
                row("golden volume without access modes in the input warns",
                        volume("[]", "sp-balanced"), VOLUME, "access modes", CheckResult.WARN, "no access modes"),
                row("golden volume on an older class says the next import moves it",
                        volume("[ReadWriteMany]", "old-class"), VOLUME, "access modes", CheckResult.FAIL,
                        "it is on StorageClass old-class"),
                row("golden volume of a class outside the RWO set passes even when ReadWriteMany",
                        CEPH + cronOn("ceph-rbd") + volume("[ReadWriteMany]", "ceph-rbd"), VOLUME, "access modes",
                        CheckResult.PASS, "keep the profile's access modes"),
                row("profile with the annotations the policy calls for passes",
                        "", "StorageProfile sp-balanced", "annotations", CheckResult.PASS, "no pending changes"),
                row("profile missing the RWO annotation fails with the pending change",
                        profile("cdi.kubevirt.io/snapshotClassForBootSources: sp-balanced-images"),
                        "StorageProfile sp-balanced", "annotations", CheckResult.FAIL,
                        "add cdi.kubevirt.io/useReadWriteOnceForBootSources=true"),
                row("profile not in the input warns that CDI has not created it yet",
                        CEPH, "StorageProfile ceph-rbd", "annotations", CheckResult.WARN, "does not exist yet"),
                row("profile naming a snapshot class that does not exist warns",
                        profile("cdi.kubevirt.io/useReadWriteOnceForBootSources: \"true\"\n"
                                + "    cdi.kubevirt.io/snapshotClassForBootSources: gone\n"
                                + "    cdi.kubevirt.io/minimumSupportedPvcSize: 4Gi"),
                        "StorageProfile sp-balanced", "annotations", CheckResult.WARN, "gone named by a user"),
                row("VM disks on a regular default class pass",
                        "", "StorageClass sp-balanced", "VM disks", CheckResult.PASS, "not an images-only class"),
                row("VM disks on an images-only default class fail",
                        NOT_DEFAULT + IMAGES_COPY.replace("\"false\"", "\"true\""), "StorageClass sp-balanced-images", "VM disks",
                        CheckResult.FAIL, "images-only class"),
                row("images-only class that is not a default passes",
                        IMAGES_COPY, "StorageClass sp-balanced-images", "not a default", CheckResult.PASS, "not a default"),
                row("images-only class marked as the default class fails",
                        IMAGES_COPY.replace("storageclass.kubernetes.io/is-default-class: \"false\"",
                                "storageclass.kubernetes.io/is-default-class: \"true\""),
                        "StorageClass sp-balanced-images", "not a default", CheckResult.FAIL, "must not be a default"),
                row("no default storage class warns",
                        NOT_DEFAULT, "default storage class", "VM disks", CheckResult.WARN, "must name their class"),
                row("boot-source snapshot class that is not the default passes",
                        "", "VolumeSnapshotClass sp-balanced-images", "not the default", CheckResult.PASS, "not the default"),
                row("boot-source snapshot class marked default fails",
                        IMAGES_VSC_DEFAULT, "VolumeSnapshotClass sp-balanced-images", "not the default", CheckResult.FAIL,
                        "must not be the default"),
                row("a regular default snapshot class for the driver passes",
                        "", GCP_VSC_DEFAULT, "exists", CheckResult.PASS, "csi-gce-pd-vsc is the default"),
                row("no default snapshot class for the driver fails and names the candidates",
                        REGULAR_VSC_NOT_DEFAULT, GCP_VSC_DEFAULT, "exists", CheckResult.FAIL,
                        "candidates: csi-gce-pd-vsc"),
                row("an images class as the only default of the driver fails",
                        REGULAR_VSC_NOT_DEFAULT + IMAGES_VSC_DEFAULT, GCP_VSC_DEFAULT, "exists", CheckResult.FAIL,
                        "no regular VolumeSnapshotClass"),
                row("two default snapshot classes for one driver fail",
                        IMAGES_VSC_DEFAULT, GCP_VSC_DEFAULT, "exists", CheckResult.FAIL, "refuses to pick one"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void check(Row row) {
        VerifyReport report = verify(row.yaml());
        Optional<Check> found = report.checks().stream()
                .filter(c -> c.subject().equals(row.subject()) && c.check().equals(row.check()))
                .findFirst();
        assertThat(found).as("check %s / %s in %s", row.subject(), row.check(), report.checks()).isPresent();
        assertThat(found.get().result()).as(found.get().reason()).isEqualTo(row.result());
        assertThat(found.get().reason()).contains(row.reasonContains());
    }

    @Test
    void completeSetUpPassesEveryCheck() {
        VerifyReport report = verify(READY);
        assertThat(report.checks()).filteredOn(check -> check.area() != CheckArea.VM_DISKS)
                .allSatisfy(check -> assertThat(check.result()).as(check.toString()).isEqualTo(CheckResult.PASS));
        assertThat(report.passed()).isTrue();
        assertThat(report.dataImportCrons()).containsExactly(new CronStorage(NS, "fedora-image-cron",
                Optional.of("sp-balanced"), StorageClassSource.DEFAULT_VIRT_CLASS, true, Optional.of("sp-balanced-images")));
    }

    @Test
    void cronStorageSaysWhenTheTemplateNamesTheClass() {
        VerifyReport report = verify(READY + CEPH + cronOn("ceph-rbd"));
        assertThat(report.dataImportCrons()).containsExactly(new CronStorage(NS, "fedora-image-cron",
                Optional.of("ceph-rbd"), StorageClassSource.TEMPLATE, false, Optional.empty()));
    }

    @Test
    void clusterWithoutBootSourceDriversOnlyAsksForSomeDefaultSnapshotClass() {
        String ceph = CEPH.replace("---\n", "") + "---\n" + """
                apiVersion: snapshot.storage.k8s.io/v1
                kind: VolumeSnapshotClass
                metadata:
                  name: rbd
                driver: rbd.csi.ceph.com
                """;
        Check check = verify(ceph).checks().stream().filter(c -> c.subject().equals("default VolumeSnapshotClass"))
                .findFirst().orElseThrow();
        assertThat(check.result()).isEqualTo(CheckResult.WARN);
        assertThat(check.reason()).contains("VM snapshots must name their class");
    }

    @Test
    void checksComeInAreaOrder() {
        VerifyReport report = verify(READY);
        List<CheckArea> areas = report.checks().stream().map(Check::area).toList();
        assertThat(areas).isSortedAccordingTo(java.util.Comparator.naturalOrder());
    }

    static VerifyReport verify(String yaml) {
        ClusterFileReader reader = new ClusterFileReader();
        reader.add(yaml, "fixture");
        BootSourcePolicy policy = new BootSourcePolicy(CapabilityCatalogLoader.bundled(), PolicyOptions.DEFAULTS);
        return new SetupVerifier(policy).verify(reader.snapshot());
    }

    /** A row on the complete set-up plus {@code extraYaml}; a later object replaces an earlier one of the same name. */
    private static Arguments row(String name, String extraYaml, String subject, String check, CheckResult result, String reason) {
        String yaml = extraYaml.startsWith(READY.lines().findFirst().orElseThrow()) ? extraYaml : READY + extraYaml;
        return Arguments.of(Named.of(name, new Row(yaml, subject, check, result, reason)));
    }

    private static final String REGIONAL = """
            ---
            apiVersion: storage.k8s.io/v1
            kind: StorageClass
            metadata:
              name: sp-regional
            provisioner: pd.csi.storage.gke.io
            parameters:
              type: hyperdisk-balanced-high-availability
            ---
            apiVersion: cdi.kubevirt.io/v1beta1
            kind: StorageProfile
            metadata:
              name: sp-regional
            """;

    private static final String CEPH = """
            ---
            apiVersion: storage.k8s.io/v1
            kind: StorageClass
            metadata:
              name: ceph-rbd
            provisioner: rbd.csi.ceph.com
            """;

    private static final String NOT_DEFAULT = """
            ---
            apiVersion: storage.k8s.io/v1
            kind: StorageClass
            metadata:
              name: sp-balanced
            provisioner: pd.csi.storage.gke.io
            parameters:
              type: hyperdisk-balanced
            """;

    private static final String IMAGES_COPY = """
            ---
            apiVersion: storage.k8s.io/v1
            kind: StorageClass
            metadata:
              name: sp-balanced-images
              annotations:
                storageclass.kubernetes.io/is-default-class: "false"
                storageclass.kubevirt.io/is-default-virt-class: "false"
                bootsource.dev/created-for-storage-class: sp-balanced
            provisioner: pd.csi.storage.gke.io
            parameters:
              type: hyperdisk-balanced
            """;

    private static final String IMAGES_VSC_DEFAULT = """
            ---
            apiVersion: snapshot.storage.k8s.io/v1
            kind: VolumeSnapshotClass
            metadata:
              name: sp-balanced-images
              annotations:
                snapshot.storage.kubernetes.io/is-default-class: "true"
            driver: pd.csi.storage.gke.io
            deletionPolicy: Delete
            parameters:
              snapshot-type: images
            """;

    private static final String REGULAR_VSC_NOT_DEFAULT = """
            ---
            apiVersion: snapshot.storage.k8s.io/v1
            kind: VolumeSnapshotClass
            metadata:
              name: csi-gce-pd-vsc
            driver: pd.csi.storage.gke.io
            deletionPolicy: Delete
            """;

    private static String cronOn(String storageClass) {
        return """
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
                        storageClassName: %s
                """.formatted(storageClass);
    }

    private static String otherCron() {
        return """
                ---
                apiVersion: cdi.kubevirt.io/v1beta1
                kind: DataImportCron
                metadata:
                  name: centos-image-cron
                  namespace: kubevirt-os-images
                spec:
                  template:
                    spec:
                      storage: {}
                """;
    }

    private static String profile(String annotations) {
        return """
                ---
                apiVersion: cdi.kubevirt.io/v1beta1
                kind: StorageProfile
                metadata:
                  name: sp-balanced
                  annotations:
                    %s
                """.formatted(annotations);
    }

    /** The complete set-up with its golden snapshot's class and metadata changed (snapshots are listed, not replaced by name). */
    private static String snapshot(String snapshotClass, String extraMetadata) {
        String original = "    cdi.kubevirt.io/dataImportCron: fedora-image-cron\nspec:\n  source:\n"
                + "    persistentVolumeClaimName: fedora-a5e9cbcd3bcb\n  volumeSnapshotClassName: sp-balanced-images\n";
        assertThat(READY).contains(original);
        return READY.replace(original, "    cdi.kubevirt.io/dataImportCron: fedora-image-cron\n" + extraMetadata
                + "spec:\n  source:\n    persistentVolumeClaimName: fedora-a5e9cbcd3bcb\n"
                + (snapshotClass == null ? "" : "  volumeSnapshotClassName: " + snapshotClass + "\n"));
    }

    private static String snapshotOf(String cron) {
        return """
                ---
                apiVersion: snapshot.storage.k8s.io/v1
                kind: VolumeSnapshot
                metadata:
                  name: gone-1
                  namespace: kubevirt-os-images
                  labels:
                    cdi.kubevirt.io/dataImportCron: %s
                spec:
                  volumeSnapshotClassName: csi-gce-pd-vsc
                """.formatted(cron);
    }

    private static String volume(String accessModes, String storageClass) {
        return """
                ---
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata:
                  name: fedora-a5e9cbcd3bcb
                  namespace: kubevirt-os-images
                  labels:
                    cdi.kubevirt.io/dataImportCron: fedora-image-cron
                spec:
                  accessModes: %s
                  storageClassName: %s
                """.formatted(accessModes, storageClass);
    }
}
