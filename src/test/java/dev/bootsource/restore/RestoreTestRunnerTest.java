package dev.bootsource.restore;

import dev.bootsource.cluster.KubernetesObjects;
import dev.bootsource.model.DataSource;
import dev.bootsource.model.VolumeSnapshot;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@code restore-test} against the fabric8 mock API server in CRUD mode. No CSI driver runs there, so
 * nothing would ever bind the PVCs: {@link FakeProvisioner} stands in for one, marking PVCs Bound (a status
 * update) from a background thread, for the PVCs a test lets it bind.
 */
@EnableKubernetesMockClient(crud = true)
class RestoreTestRunnerTest {

    static KubernetesClient client;
    /** The mock server logs every request through java.util.logging; held here so the quieter level sticks. */
    private static final java.util.logging.Logger MOCK_SERVER_LOG = RestoreCluster.quietMockServer();

    private static final String NS = "kubevirt-os-images";
    private static final Duration POLL = Duration.ofMillis(40);

    private final StringWriter log = new StringWriter();
    private final RecordingProgress progress = new RecordingProgress();
    private FakeProvisioner provisioner;

    @BeforeEach
    void cluster() {
        RestoreCluster.create(client);
    }

    @AfterEach
    void clean() {
        if (provisioner != null) {
            provisioner.stop();
        }
        RestoreCluster.clear(client);
    }

    @Test
    void restoresTheDataSourceSnapshotNTimesLikeAVmDisk() {
        RestoreTestResult result = runner().run(settings("fedora", 4).keep(true).timeout(Duration.ofMillis(300)).build(), progress);

        List<PersistentVolumeClaim> claims = runClaims("t1");
        assertThat(claims).extracting(c -> c.getMetadata().getName())
                .containsExactly("restore-test-t1-01", "restore-test-t1-02", "restore-test-t1-03", "restore-test-t1-04");
        for (PersistentVolumeClaim claim : claims) {
            assertThat(claim.getSpec().getDataSourceRef().getApiGroup()).isEqualTo("snapshot.storage.k8s.io");
            assertThat(claim.getSpec().getDataSourceRef().getKind()).isEqualTo("VolumeSnapshot");
            assertThat(claim.getSpec().getDataSourceRef().getName()).isEqualTo("fedora-a5e9cbcd3bcb");
            assertThat(claim.getSpec().getDataSourceRef().getNamespace()).isNull();
            assertThat(claim.getSpec().getStorageClassName()).isEqualTo("sp-balanced");
            assertThat(claim.getSpec().getAccessModes()).containsExactly("ReadWriteMany");
            assertThat(claim.getSpec().getVolumeMode()).isEqualTo("Block");
            assertThat(claim.getSpec().getResources().getRequests().get("storage").toString()).isEqualTo("5Gi");
            assertThat(claim.getMetadata().getLabels())
                    .containsEntry("app.kubernetes.io/managed-by", "bootsource")
                    .containsEntry("bootsource.dev/restore-test", "t1");
            assertThat(claim.getMetadata().getAnnotations())
                    .containsEntry("volume.kubernetes.io/selected-node", "node-a");
        }
        assertThat(result.image().via()).containsExactly("DataSource " + NS + "/fedora");
        assertThat(result.image().snapshotClass()).contains("sp-balanced-images");
        assertThat(result.cleanup().kept()).isTrue();
        assertThat(log.toString())
                .contains("Golden image: DataSource " + NS + "/fedora -> VolumeSnapshot " + NS
                        + "/fedora-a5e9cbcd3bcb (class sp-balanced-images, restore size 5Gi, ready)")
                .contains("StorageClass sp-balanced, accessModes [ReadWriteMany], volumeMode Block, size 5Gi, "
                        + "provisioned for node node-a");
    }

    @Test
    void allBoundReportsTheTimeToEachAndDeletesOnlyWhatItCreated() {
        client.persistentVolumeClaims().inNamespace(NS).resource(claim("someone-elses-disk")).create();
        provisioner = FakeProvisioner.binding(client, name -> true);

        RestoreTestResult result = runner().run(settings("fedora", 10).build(), progress);

        assertThat(result.allBound()).isTrue();
        assertThat(result.timedOut()).isFalse();
        assertThat(result.claims()).hasSize(10).allSatisfy(claim -> {
            assertThat(claim.phase()).isEqualTo("Bound");
            assertThat(claim.timeToBound()).isPresent();
        });
        assertThat(result.timesToBound()).hasSize(10).isSorted();
        assertThat(progress.started).isEqualTo(10);
        assertThat(progress.bound).isNotEmpty().isSorted();
        assertThat(progress.bound.get(progress.bound.size() - 1)).isEqualTo(10);
        assertThat(progress.closed).isTrue();

        assertThat(result.cleanup().deleted()).hasSize(10);
        assertThat(result.cleanup().problems()).isEmpty();
        await().atMost(5, TimeUnit.SECONDS).until(() -> runClaims("t1").isEmpty());
        assertThat(client.persistentVolumeClaims().inNamespace(NS).withName("someone-elses-disk").get()).isNotNull();
        assertThat(client.resources(VolumeSnapshot.class).inNamespace(NS).withName("fedora-a5e9cbcd3bcb").get()).isNotNull();
    }

    @Test
    void timeoutReportsWhatDidNotBindWithItsEventsAndStillCleansUp() {
        provisioner = FakeProvisioner.binding(client, name -> !name.endsWith("-03"));
        client.v1().events().inNamespace(NS).resource(new EventBuilder()
                .withNewMetadata().withName("restore-test-t1-03.1").endMetadata()
                .withNewInvolvedObject().withKind("PersistentVolumeClaim").withName("restore-test-t1-03")
                .withNamespace(NS).endInvolvedObject()
                .withType("Warning").withReason("ProvisioningFailed")
                .withMessage("rpc error: code = ResourceExhausted desc = rate limit exceeded for the source snapshot")
                .withCount(3)
                .build()).create();

        RestoreTestResult result = runner().run(settings("fedora", 3).timeout(Duration.ofMillis(800)).build(), progress);

        assertThat(result.timedOut()).isTrue();
        assertThat(result.allBound()).isFalse();
        assertThat(result.boundCount()).isEqualTo(2);
        ClaimOutcome stuck = result.failures().get(0);
        assertThat(stuck.name()).isEqualTo("restore-test-t1-03");
        assertThat(stuck.phase()).isEqualTo("Pending");
        assertThat(stuck.events()).containsExactly(
                "Warning ProvisioningFailed: rpc error: code = ResourceExhausted desc = rate limit exceeded for the source snapshot (x3)");
        assertThat(result.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(800));
        assertThat(result.cleanup().deleted()).hasSize(3);
        await().atMost(5, TimeUnit.SECONDS).until(() -> runClaims("t1").isEmpty());
    }

    @Test
    void abortStopsWaitingAndDeletesWhatWasCreated() throws Exception {
        RestoreTestRunner runner = runner();
        CompletableFuture<RestoreTestResult> running = CompletableFuture.supplyAsync(
                () -> runner.run(settings("fedora", 5).timeout(Duration.ofMinutes(5)).build(), progress));
        await().atMost(5, TimeUnit.SECONDS).until(() -> runClaims("t1").size() == 5);

        runner.abort();

        RestoreTestResult result = running.get(10, TimeUnit.SECONDS);
        assertThat(result.aborted()).isTrue();
        assertThat(result.timedOut()).isFalse();
        assertThat(result.cleanup().deleted()).hasSize(5);
        assertThat(runClaims("t1")).isEmpty();
        assertThat(log.toString()).contains("Interrupted: deleted 5 PVC(s)");
    }

    @Test
    void aVolumeSnapshotNamedDirectlyIsRestored() {
        provisioner = FakeProvisioner.binding(client, name -> true);
        RestoreTestResult result = runner().run(settings("fedora-a5e9cbcd3bcb", 2).build(), progress);
        assertThat(result.image().via()).isEmpty();
        assertThat(result.image().describe()).isEqualTo("VolumeSnapshot " + NS + "/fedora-a5e9cbcd3bcb");
        assertThat(result.allBound()).isTrue();
    }

    @Test
    void aDataSourceOfAPvcIsClonedAndSaysSo() {
        client.resource(yaml("""
                apiVersion: cdi.kubevirt.io/v1beta1
                kind: DataSource
                metadata: {name: centos, namespace: kubevirt-os-images}
                spec:
                  source:
                    pvc: {name: centos-golden, namespace: kubevirt-os-images}
                """, DataSource.class)).create();
        client.persistentVolumeClaims().inNamespace(NS).resource(claim("centos-golden")).create();

        RestoreTestResult result = runner().run(settings("centos", 1).keep(true).timeout(Duration.ofMillis(200)).build(), progress);

        PersistentVolumeClaim restored = runClaims("t1").get(0);
        assertThat(restored.getSpec().getDataSourceRef().getKind()).isEqualTo("PersistentVolumeClaim");
        assertThat(restored.getSpec().getDataSourceRef().getApiGroup()).isNull();
        assertThat(restored.getSpec().getDataSourceRef().getName()).isEqualTo("centos-golden");
        assertThat(restored.getSpec().getResources().getRequests().get("storage").toString()).isEqualTo("10Gi");
        assertThat(result.notes()).anyMatch(note -> note.contains("tests clones of it"));
    }

    @Test
    void anotherNamespaceGetsACrossNamespaceReferenceAndANote() {
        RestoreTestResult result = runner().run(settings("fedora", 1).namespace("vm-tests").keep(true)
                .timeout(Duration.ofMillis(200)).build(), progress);
        PersistentVolumeClaim restored = client.persistentVolumeClaims().inNamespace("vm-tests").withName("restore-test-t1-01").get();
        assertThat(restored.getSpec().getDataSourceRef().getNamespace()).isEqualTo(NS);
        assertThat(result.namespace()).isEqualTo("vm-tests");
        assertThat(result.notes()).anyMatch(note -> note.contains("CrossNamespaceVolumeDataSource"));
    }

    @Test
    void explicitClassModesAndSizeWin() {
        RestoreTestResult result = runner().run(settings("fedora", 1).storageClass("standard").accessMode("ReadWriteOnce")
                .volumeMode("Filesystem").size("20Gi").keep(true).timeout(Duration.ofMillis(200)).build(), progress);
        PersistentVolumeClaim restored = runClaims("t1").get(0);
        assertThat(restored.getSpec().getStorageClassName()).isEqualTo("standard");
        assertThat(restored.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
        assertThat(restored.getSpec().getVolumeMode()).isEqualTo("Filesystem");
        assertThat(restored.getSpec().getResources().getRequests().get("storage").toString()).isEqualTo("20Gi");
        assertThat(restored.getMetadata().getAnnotations()).doesNotContainKey("volume.kubernetes.io/selected-node");
        assertThat(result.shape().selectedNode()).isEmpty();
    }

    @Test
    void anUnknownImageIsBadInputAndCreatesNothing() {
        assertThatThrownBy(() -> runner().run(settings("nope", 3).build(), progress))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no DataSource or VolumeSnapshot " + NS + "/nope in the cluster");
        assertThat(client.persistentVolumeClaims().inNamespace(NS).list().getItems()).isEmpty();
    }

    @Test
    void aSnapshotWithoutRestoreSizeNeedsSize() {
        client.resource(yaml("""
                apiVersion: snapshot.storage.k8s.io/v1
                kind: VolumeSnapshot
                metadata: {name: new-snap, namespace: kubevirt-os-images}
                spec: {volumeSnapshotClassName: sp-balanced-images}
                """, VolumeSnapshot.class)).create();
        assertThatThrownBy(() -> runner().run(settings("new-snap", 1).build(), progress))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pass --size");
    }

    @Test
    void anUnknownStorageClassIsBadInput() {
        assertThatThrownBy(() -> runner().run(settings("fedora", 1).storageClass("nope").build(), progress))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("StorageClass nope (--storage-class) does not exist");
    }

    // ---- helpers -------------------------------------------------------------------------------------------


    private RestoreTestRunner runner() {
        return new RestoreTestRunner(client, new PrintWriter(log, true), Clock.systemUTC(), false);
    }

    private static SettingsBuilder settings(String image, int count) {
        return new SettingsBuilder(image, count);
    }

    private static List<PersistentVolumeClaim> runClaims(String runId) {
        List<PersistentVolumeClaim> claims = new ArrayList<>(client.persistentVolumeClaims().inAnyNamespace()
                .withLabel(RestoreClaims.RUN_LABEL, runId).list().getItems());
        claims.sort((a, b) -> a.getMetadata().getName().compareTo(b.getMetadata().getName()));
        return claims;
    }

    private static PersistentVolumeClaim claim(String name) {
        return yaml("""
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata: {name: %s, namespace: kubevirt-os-images}
                spec:
                  accessModes: [ReadWriteOnce]
                  resources: {requests: {storage: 10Gi}}
                """.formatted(name), PersistentVolumeClaim.class);
    }

    private static <T> T yaml(String text, Class<T> type) {
        try {
            return KubernetesObjects.MAPPER.readValue(text, type);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Records what the runner reports as progress. */
    static final class RecordingProgress implements RestoreProgress {
        int started;
        final List<Integer> bound = Collections.synchronizedList(new ArrayList<>());
        boolean closed;

        @Override
        public void started(int total) {
            started = total;
        }

        @Override
        public void update(int boundCount, int failed, int total) {
            bound.add(boundCount);
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    static final class SettingsBuilder {
        private final String image;
        private final int count;
        private Duration timeout = Duration.ofSeconds(10);
        private boolean keep;
        private String namespace;
        private String storageClass;
        private String accessMode;
        private String volumeMode;
        private String size;

        SettingsBuilder(String image, int count) {
            this.image = image;
            this.count = count;
        }

        SettingsBuilder timeout(Duration value) {
            timeout = value;
            return this;
        }

        SettingsBuilder keep(boolean value) {
            keep = value;
            return this;
        }

        SettingsBuilder namespace(String value) {
            namespace = value;
            return this;
        }

        SettingsBuilder storageClass(String value) {
            storageClass = value;
            return this;
        }

        SettingsBuilder accessMode(String value) {
            accessMode = value;
            return this;
        }

        SettingsBuilder volumeMode(String value) {
            volumeMode = value;
            return this;
        }

        SettingsBuilder size(String value) {
            size = value;
            return this;
        }

        RestoreTestSettings build() {
            return new RestoreTestSettings(new ImageRef(NS, image), count, Optional.ofNullable(storageClass),
                    Optional.ofNullable(namespace), timeout, keep, Optional.ofNullable(accessMode),
                    Optional.ofNullable(volumeMode), Optional.ofNullable(size), Optional.empty(), POLL, Optional.of("t1"));
        }
    }
}
