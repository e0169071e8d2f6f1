package dev.bootsource.restore;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RestoreClaimsTest {

    private static final GoldenImage SNAPSHOT = new GoldenImage(GoldenImage.Kind.VOLUME_SNAPSHOT, "os-images", "fedora-1",
            Optional.of("5Gi"), Optional.of("sp-images"), true, List.of("DataSource os-images/fedora"));
    private static final ClaimShape RWX_BLOCK = new ClaimShape(Optional.of("sp"), List.of("ReadWriteMany"),
            Optional.of("Block"), "5Gi", Optional.empty());

    @Test
    void everyClaimRestoresTheSnapshotAndCarriesTheRun() {
        List<PersistentVolumeClaim> claims = RestoreClaims.build(SNAPSHOT, RWX_BLOCK, "os-images", "ab12c", 3);
        assertThat(claims).extracting(c -> c.getMetadata().getName())
                .containsExactly("restore-test-ab12c-01", "restore-test-ab12c-02", "restore-test-ab12c-03");
        PersistentVolumeClaim claim = claims.get(0);
        assertThat(claim.getMetadata().getNamespace()).isEqualTo("os-images");
        assertThat(claim.getMetadata().getLabels()).containsExactlyInAnyOrderEntriesOf(java.util.Map.of(
                "app.kubernetes.io/managed-by", "bootsource", "bootsource.dev/restore-test", "ab12c"));
        assertThat(claim.getMetadata().getAnnotations()).containsExactlyInAnyOrderEntriesOf(java.util.Map.of(
                "bootsource.dev/restore-test-image", "VolumeSnapshot os-images/fedora-1"));
        assertThat(claim.getSpec().getDataSourceRef().getApiGroup()).isEqualTo("snapshot.storage.k8s.io");
        assertThat(claim.getSpec().getDataSourceRef().getKind()).isEqualTo("VolumeSnapshot");
        assertThat(claim.getSpec().getDataSourceRef().getName()).isEqualTo("fedora-1");
        assertThat(claim.getSpec().getDataSourceRef().getNamespace()).isNull();
        assertThat(claim.getSpec().getDataSource()).isNull();
        assertThat(claim.getSpec().getStorageClassName()).isEqualTo("sp");
        assertThat(claim.getSpec().getAccessModes()).containsExactly("ReadWriteMany");
        assertThat(claim.getSpec().getVolumeMode()).isEqualTo("Block");
        assertThat(claim.getSpec().getResources().getRequests().get("storage").toString()).isEqualTo("5Gi");
    }

    @Test
    void anotherNamespaceNamesTheImageNamespace() {
        PersistentVolumeClaim claim = RestoreClaims.build(SNAPSHOT, RWX_BLOCK, "vms", "ab12c", 1).get(0);
        assertThat(claim.getMetadata().getNamespace()).isEqualTo("vms");
        assertThat(claim.getSpec().getDataSourceRef().getNamespace()).isEqualTo("os-images");
    }

    @Test
    void aPvcImageIsACoreGroupReference() {
        GoldenImage pvc = new GoldenImage(GoldenImage.Kind.PERSISTENT_VOLUME_CLAIM, "os-images", "centos", Optional.of("10Gi"),
                Optional.empty(), true, List.of());
        PersistentVolumeClaim claim = RestoreClaims.build(pvc, RWX_BLOCK, "os-images", "r", 1).get(0);
        assertThat(claim.getSpec().getDataSourceRef().getApiGroup()).isNull();
        assertThat(claim.getSpec().getDataSourceRef().getKind()).isEqualTo("PersistentVolumeClaim");
    }

    @Test
    void aSelectedNodeIsSetAsTheSchedulerWould() {
        ClaimShape wffc = new ClaimShape(Optional.of("sp"), List.of("ReadWriteOnce"), Optional.empty(), "5Gi", Optional.of("node-a"));
        PersistentVolumeClaim claim = RestoreClaims.build(SNAPSHOT, wffc, "os-images", "r", 1).get(0);
        assertThat(claim.getMetadata().getAnnotations()).containsEntry("volume.kubernetes.io/selected-node", "node-a");
        assertThat(claim.getSpec().getVolumeMode()).isNull();
    }

    @Test
    void noStorageClassLeavesItToTheClusterDefault() {
        ClaimShape shape = new ClaimShape(Optional.empty(), List.of("ReadWriteOnce"), Optional.empty(), "5Gi", Optional.empty());
        assertThat(RestoreClaims.build(SNAPSHOT, shape, "os-images", "r", 1).get(0).getSpec().getStorageClassName()).isNull();
    }

    @ParameterizedTest(name = "claim {1} of {2} is {3}")
    @CsvSource({
            "r, 1, 1, restore-test-r-01",
            "r, 7, 10, restore-test-r-07",
            "r, 10, 10, restore-test-r-10",
            "r, 42, 120, restore-test-r-042"})
    void namesSortInCreationOrder(String runId, int index, int count, String expected) {
        assertThat(RestoreClaims.name(runId, index, count)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "--image ''{0}'' is refused")
    @CsvSource({"fedora", "/fedora", "os-images/", "a/b/c", "''"})
    void imageMustBeNamespaceSlashName(String text) {
        assertThatThrownBy(() -> ImageRef.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--image must be NAMESPACE/NAME");
    }

    @Test
    void imageParses() {
        assertThat(ImageRef.parse("os-images/fedora")).isEqualTo(new ImageRef("os-images", "fedora"));
    }
}
