package dev.bootsource.operator;

import dev.bootsource.model.Keys;
import dev.bootsource.model.StorageProfile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * API server faults, injected in front of the CRUD mock server: conflicts, dropped and expired watches,
 * and an outage (the server stopped, then started again on the same port with its objects kept).
 */
class FaultToleranceTest extends OperatorTestSupport {

    private static final Path GCP_CLUSTER = Path.of("src/test/resources/operator/gcp-cluster.yaml");

    @BeforeEach
    void seed() {
        cluster.installCdi();
        cluster.installSnapshotCrds();
        cluster.createAll(GCP_CLUSTER);
    }

    @Test
    void aConflictOnPatchIsDecidedAgainAndRetried() {
        // Simulated: the API server answers 409 to the first patch of this profile, as it does when the
        // resourceVersion the patch carries is no longer current.
        cluster.faults().fail(request -> "PATCH".equals(request.method()) && request.path().endsWith("/storageprofiles/hyperdisk"), 1, 409);

        startOperator();

        awaitConverged();
        assertThat(cluster.operatorWrites("storageprofiles").stream()
                .filter(request -> request.path().endsWith("/storageprofiles/hyperdisk")))
                .hasSize(2);
    }

    @Test
    void droppedWatchesAreReestablishedAndLaterChangesSeen() {
        startOperator();
        awaitConverged();

        // Simulated: the API server closes every open watch (as on an API server restart).
        cluster.faults().dropWatches();
        addStorageClassWithProfile("late");

        await().atMost(CONVERGE).until(() -> "hyperdisk-images".equals(
                cluster.annotations("late").get(Keys.SNAPSHOT_CLASS_FOR_BOOT_SOURCES)));
    }

    @Test
    void anExpiredWatchIsRecoveredByListingAgain() {
        startOperator();
        awaitConverged();
        cluster.clearRequests();

        // Simulated: the re-established watches are answered with 410 Gone (resourceVersion too old).
        cluster.faults().expireNextWatch("storageclasses");
        cluster.faults().expireNextWatch("storageprofiles");
        cluster.faults().dropWatches();
        addStorageClassWithProfile("late");

        await().atMost(CONVERGE).until(() -> "hyperdisk-images".equals(
                cluster.annotations("late").get(Keys.SNAPSHOT_CLASS_FOR_BOOT_SOURCES)));
        assertThat(cluster.operatorRequests()).anySatisfy(request -> {
            assertThat(request.concerns("storageclasses")).isTrue();
            assertThat(request.method()).isEqualTo("GET");
            assertThat(request.isWatch()).isFalse();
        });
    }

    @Test
    void afterAnApiServerOutageItConvergesWithNothingLostAndNothingDuplicated() {
        startOperator();
        awaitConverged();

        // Simulated: the API server goes away (connections refused, watches gone) for a few seconds...
        cluster.stopServer();
        StorageProfileReconcileTest.sleep(Duration.ofSeconds(3));
        cluster.startServer();
        // ...and state changes as soon as it is back, before the operator has listed again.
        addStorageClassWithProfile("late");
        cluster.admin().resources(StorageProfile.class).withName("standard").edit(profile -> {
            profile.getMetadata().getAnnotations().remove(Keys.USE_RWO_FOR_BOOT_SOURCES);
            return profile;
        });

        await().atMost(Duration.ofSeconds(40)).until(() ->
                "hyperdisk-images".equals(cluster.annotations("late").get(Keys.SNAPSHOT_CLASS_FOR_BOOT_SOURCES))
                        && "true".equals(cluster.annotations("standard").get(Keys.USE_RWO_FOR_BOOT_SOURCES)));
        assertThat(cluster.snapshotClassesCreatedByBootSource())
                .extracting(vsc -> vsc.getMetadata().getName())
                .containsExactly("hyperdisk-images");
    }

    private void awaitConverged() {
        await().atMost(CONVERGE).until(() ->
                "hyperdisk-images".equals(cluster.annotations("hyperdisk").get(Keys.SNAPSHOT_CLASS_FOR_BOOT_SOURCES))
                        && "hyperdisk-images".equals(cluster.annotations("standard").get(Keys.SNAPSHOT_CLASS_FOR_BOOT_SOURCES))
                        && "true".equals(cluster.annotations("hyperdisk-ha").get(Keys.USE_RWO_FOR_BOOT_SOURCES)));
    }

    private void addStorageClassWithProfile(String name) {
        cluster.create("""
                apiVersion: storage.k8s.io/v1
                kind: StorageClass
                metadata:
                  name: %1$s
                provisioner: pd.csi.storage.gke.io
                parameters:
                  type: hyperdisk-balanced
                ---
                apiVersion: cdi.kubevirt.io/v1beta1
                kind: StorageProfile
                metadata:
                  name: %1$s
                """.formatted(name));
    }
}
