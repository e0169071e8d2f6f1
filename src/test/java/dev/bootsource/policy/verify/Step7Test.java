package dev.bootsource.policy.verify;

import dev.bootsource.TestResources;
import dev.bootsource.capabilities.CapabilityCatalogLoader;
import dev.bootsource.input.ClusterFileReader;
import dev.bootsource.policy.BootSourcePolicy;
import dev.bootsource.policy.PolicyOptions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Step 7 of the manual workaround, whole: what a golden snapshot must be taken with, who set it up, and VM disks. */
class Step7Test {

    private static final String GKE = "/cli/gke-cluster.yaml";

    private static VerifyReport verify(String... overlays) {
        ClusterFileReader reader = new ClusterFileReader();
        reader.add(TestResources.text(GKE), GKE);
        for (int i = 0; i < overlays.length; i++) {
            reader.add(overlays[i], "overlay " + i);
        }
        return new SetupVerifier(new BootSourcePolicy(CapabilityCatalogLoader.bundled(), PolicyOptions.DEFAULTS))
                .verify(reader.snapshot());
    }

    private static Check only(VerifyReport report, CheckArea area, String subject) {
        return report.checks(area).stream().filter(c -> c.subject().equals(subject)).findFirst().orElseThrow();
    }

    /** The manual workaround done perfectly: cnv-images class, images snapshot class, RWO-only profile, crons on it. */
    private static final String MANUAL = TestResources.text("/verify/manual-workaround-classes.yaml") + """
            ---
            apiVersion: cdi.kubevirt.io/v1beta1
            kind: StorageProfile
            metadata:
              name: cnv-images
            spec:
              claimPropertySets:
              - accessModes: [ReadWriteOnce]
                volumeMode: Block
              snapshotClass: cnv-images
            ---
            apiVersion: cdi.kubevirt.io/v1beta1
            kind: DataImportCron
            metadata:
              name: fedora-image-cron
              namespace: kubevirt-os-images
            spec:
              managedDataSource: fedora
              schedule: "0 */12 * * *"
              template:
                spec:
                  storage:
                    storageClassName: cnv-images
            ---
            apiVersion: snapshot.storage.k8s.io/v1
            kind: VolumeSnapshot
            metadata:
              name: fedora-a5e9cbcd3bcb
              namespace: kubevirt-os-images
              labels:
                cdi.kubevirt.io/dataImportCron: fedora-image-cron
            spec:
              volumeSnapshotClassName: cnv-images
            ---
            apiVersion: snapshot.storage.k8s.io/v1
            kind: VolumeSnapshot
            metadata:
              name: fedora-0ld0ld0ld0ld
              namespace: kubevirt-os-images
              labels:
                cdi.kubevirt.io/dataImportCron: fedora-image-cron
            spec:
              volumeSnapshotClassName: cnv-images
            """;

    @Test
    void theManualWorkaroundDonePerfectlyPasses() {
        VerifyReport report = verify(MANUAL);
        assertThat(report.passed()).as(report.checks().toString()).isTrue();
        assertThat(only(report, CheckArea.GOLDEN_SNAPSHOTS, "VolumeSnapshot kubevirt-os-images/fedora-a5e9cbcd3bcb").reason())
                .contains("taken with cnv-images, an images class").contains("the manual workaround");
        assertThat(only(report, CheckArea.STORAGE_PROFILES, "StorageProfile cnv-images").result()).isEqualTo(CheckResult.PASS);
        assertThat(only(report, CheckArea.STORAGE_PROFILES, "StorageProfile standard-rwo").result())
                .as("a class no golden image uses is not failed").isEqualTo(CheckResult.WARN);
    }

    @Test
    void aGoldenSnapshotOnAClassWithoutTheImagesParameterFailsEvenWhenTheProfileNamesIt() {
        VerifyReport report = verify(MANUAL.replace("  snapshot-type: images", "  other: x"));
        Check check = only(report, CheckArea.GOLDEN_SNAPSHOTS, "VolumeSnapshot kubevirt-os-images/fedora-a5e9cbcd3bcb");
        assertThat(check.result()).isEqualTo(CheckResult.FAIL);
        assertThat(check.reason()).contains("lacks the parameters {snapshot-type=images}").contains("6-an-hour limit");
    }

    @Test
    void aCdiThatManagesBootSourcesIsAValidSetUp() {
        VerifyReport report = verify("""
                apiVersion: cdi.kubevirt.io/v1beta1
                kind: CDI
                metadata:
                  name: cdi
                status:
                  observedVersion: v1.65.2
                ---
                apiVersion: snapshot.storage.k8s.io/v1
                kind: VolumeSnapshotClass
                metadata:
                  name: cdi-images
                driver: pd.csi.storage.gke.io
                parameters:
                  snapshot-type: images
                ---
                apiVersion: cdi.kubevirt.io/v1beta1
                kind: StorageProfile
                metadata:
                  name: sp-balanced
                  annotations:
                    cdi.kubevirt.io/useReadWriteOnceForDataImportCron: "true"
                    cdi.kubevirt.io/snapshotClassForDataImportCron: cdi-images
                """, """
                apiVersion: snapshot.storage.k8s.io/v1
                kind: VolumeSnapshot
                metadata:
                  name: fedora-a5e9cbcd3bcb
                  namespace: kubevirt-os-images
                  labels:
                    cdi.kubevirt.io/dataImportCron: fedora-image-cron
                spec:
                  volumeSnapshotClassName: cdi-images
                """, """
                apiVersion: snapshot.storage.k8s.io/v1
                kind: VolumeSnapshot
                metadata:
                  name: fedora-0ld0ld0ld0ld
                  namespace: kubevirt-os-images
                  labels:
                    cdi.kubevirt.io/dataImportCron: fedora-image-cron
                spec:
                  volumeSnapshotClassName: cdi-images
                """);
        assertThat(report.checks(CheckArea.GOLDEN_SNAPSHOTS)).allSatisfy(c -> assertThat(c.result()).isEqualTo(CheckResult.PASS));
        assertThat(only(report, CheckArea.STORAGE_PROFILES, "StorageProfile sp-balanced").reason()).contains("CDI, which manages boot sources (CDI cdi reports version v1.65.2");
        assertThat(report.dataImportCrons().get(0).snapshotClass()).contains("cdi-images");
    }

    @Test
    void vmDisksFromGoldenImagesAreCheckedToBeOnTheDefaultClass() {
        VerifyReport onDefault = verify();
        assertThat(only(onDefault, CheckArea.VM_DISKS, "DataVolume apps/web-1-rootdisk"))
                .satisfies(c -> assertThat(c.result()).isEqualTo(CheckResult.PASS))
                .satisfies(c -> assertThat(c.reason()).contains("from DataSource kubevirt-os-images/fedora, on sp-balanced, the default class"));

        VerifyReport onImages = verify(MANUAL, """
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata:
                  name: web-1-rootdisk
                  namespace: apps
                spec:
                  accessModes: [ReadWriteOnce]
                  storageClassName: cnv-images
                """);
        Check check = only(onImages, CheckArea.VM_DISKS, "DataVolume apps/web-1-rootdisk");
        assertThat(check.result()).isEqualTo(CheckResult.FAIL);
        assertThat(check.reason()).contains("on cnv-images, the class golden images are imported onto");
    }

}
