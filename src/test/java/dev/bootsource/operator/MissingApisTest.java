package dev.bootsource.operator;

import dev.bootsource.model.Keys;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Clusters that lack what BootSource uses: it says so (log and /readyz), waits, and starts when the
 * API appears; an API it may not use degrades only the feature that needs it.
 */
class MissingApisTest extends OperatorTestSupport {

    private static final Path GCP_CLUSTER = Path.of("src/test/resources/operator/gcp-cluster.yaml");

    @Test
    void withoutCdiAndSnapshotCrdsItWaitsSaysWhyAndStartsWhenTheyAppear() {
        cluster.create("""
                apiVersion: storage.k8s.io/v1
                kind: StorageClass
                metadata:
                  name: hyperdisk
                provisioner: pd.csi.storage.gke.io
                parameters:
                  type: hyperdisk-balanced
                """);
        BootSourceOperator operator = startOperator();

        await().atMost(CONVERGE).untilAsserted(() -> {
            HttpResponse<String> ready = get(operator, "/readyz");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body())
                    .contains("storageprofiles.cdi.kubevirt.io/v1beta1: NOT_SERVED")
                    .contains("volumesnapshotclasses.snapshot.storage.k8s.io/v1: NOT_SERVED")
                    .contains("CRD is not installed");
        });
        assertThat(get(operator, "/healthz").statusCode()).isEqualTo(200);

        cluster.installSnapshotCrds();
        await().atMost(CONVERGE).until(() -> get(operator, "/readyz").body()
                .contains("volumesnapshotclasses.snapshot.storage.k8s.io/v1: SYNCED"));
        assertThat(operator.isReady()).isFalse();

        cluster.installCdi();
        cluster.create("""
                apiVersion: cdi.kubevirt.io/v1beta1
                kind: StorageProfile
                metadata:
                  name: hyperdisk
                """);
        await().atMost(CONVERGE).until(() -> "hyperdisk-images".equals(
                cluster.annotations("hyperdisk").get(Keys.SNAPSHOT_CLASS_FOR_BOOT_SOURCES)));
        assertThat(get(operator, "/readyz").statusCode()).isEqualTo(200);
    }

    @Test
    void refusedEventsDegradeOnlyEvents() {
        cluster.installCdi();
        cluster.installSnapshotCrds();
        cluster.createAll(GCP_CLUSTER);
        cluster.faults().failAlways(request -> request.concerns("events") && request.isWrite(), 403);

        startOperator();

        await().atMost(CONVERGE).until(() -> "hyperdisk-images".equals(
                cluster.annotations("standard").get(Keys.SNAPSHOT_CLASS_FOR_BOOT_SOURCES)));
        assertThat(cluster.admin().v1().events().inAnyNamespace().list().getItems()).isEmpty();
    }

    @Test
    void forbiddenClaimsDegradeOnlyTheirLookups() {
        cluster.installCdi();
        cluster.installSnapshotCrds();
        cluster.createAll(GCP_CLUSTER);
        cluster.faults().failAlways(request -> request.concerns("persistentvolumeclaims"), 403);

        BootSourceOperator operator = startOperator();

        await().atMost(CONVERGE).until(() -> "true".equals(cluster.annotations("hyperdisk").get(Keys.USE_RWO_FOR_BOOT_SOURCES)));
        await().atMost(CONVERGE).until(() -> operator.informerClusterView().status().stream()
                .anyMatch(s -> s.api().startsWith("persistentvolumeclaims") && s.state() == ResourceState.FORBIDDEN));
        assertThat(operator.clusterView().persistentVolumeClaim("os-images", "fedora")).isEmpty();
        assertThat(get(operator, "/readyz").statusCode()).isEqualTo(200);
    }

    @Test
    void forbiddenStorageProfilesAreSeenAtOnceAndTheControllerStartsOnceAllowed() {
        cluster.installCdi();
        cluster.installSnapshotCrds();
        cluster.createAll(GCP_CLUSTER);
        // The controller's informer lists the profiles for the view too; a LIST of at most one asks first.
        cluster.faults().fail(request -> request.concerns("storageprofiles") && !request.path().contains("/storageprofiles/"), 15, 403);

        BootSourceOperator operator = startOperator();

        await().atMost(CONVERGE).untilAsserted(() -> assertThat(get(operator, "/readyz").body())
                .contains("storageprofiles.cdi.kubevirt.io/v1beta1: FORBIDDEN - RBAC forbids listing or watching")
                .contains("controller: not started"));
        await().atMost(CONVERGE).until(() -> "true".equals(cluster.annotations("hyperdisk").get(Keys.USE_RWO_FOR_BOOT_SOURCES)));
        assertThat(get(operator, "/readyz").body()).contains("storageprofiles.cdi.kubevirt.io/v1beta1: SYNCED");
        assertThat(operator.clusterView().storageProfile("hyperdisk")).isPresent();
    }

    @Test
    void aLeaseItMayNotUseTurnsLeaderElectionOffAndReconcilingGoesOn() {
        cluster.installCdi();
        cluster.installSnapshotCrds();
        cluster.createAll(GCP_CLUSTER);
        cluster.faults().failAlways(request -> request.concerns("selfsubjectrulesreviews"), 403);

        BootSourceOperator operator = startOperator(testSettings().withLease(
                LeaseSettings.standard("bootsource-leader", "bootsource", "replica-a")
                        .withTiming(Duration.ofSeconds(4), Duration.ofSeconds(3), Duration.ofMillis(300))), policy());

        await().atMost(CONVERGE).until(() -> "hyperdisk-images".equals(
                cluster.annotations("hyperdisk").get(Keys.SNAPSHOT_CLASS_FOR_BOOT_SOURCES)));
        assertThat(operator.isLeading()).isTrue();
    }
}
