package dev.bootsource.operator;

import dev.bootsource.capabilities.CapabilityCatalogLoader;
import dev.bootsource.model.DataImportCron;
import dev.bootsource.model.VolumeSnapshot;
import dev.bootsource.model.VolumeSnapshotClass;
import dev.bootsource.policy.BootSourcePolicy;
import dev.bootsource.policy.GoldenSnapshotMode;
import dev.bootsource.policy.PolicyOptions;
import io.fabric8.kubernetes.api.model.Event;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.List;

import static dev.bootsource.operator.GoldenSnapshotScenario.GCP_CLUSTER;
import static dev.bootsource.operator.GoldenSnapshotScenario.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The operator deletes stale golden snapshots (spec §5) against a live (mock) API server: only those the
 * policy names recreate, each once, within the in-flight limit, and nothing in dry-run or off.
 *
 * <p>The CRUD mock server honours finalizers: deleting an object that has one only sets its
 * deletionTimestamp. Snapshots given a finalizer here therefore stay "being deleted" until the test
 * removes it, which is how the external snapshotter holds a deletion in flight on a real cluster.
 */
class GoldenSnapshotCleanupTest extends OperatorTestSupport {

    /** Long enough for the passes triggered by the last change to have run (they are at most 1 s apart). */
    private static final Duration SETTLE = Duration.ofMillis(1500);

    @BeforeEach
    void installCdiAndSnapshots() {
        cluster.installCdi();
        cluster.installSnapshotCrds();
        cluster.createAll(GCP_CLUSTER);
    }

    @Test
    void aStaleSnapshotIsDeletedOnceAndNothingElseIsTouched() {
        cluster.create(cron("fedora", true) + cron("centos", true)
                + snapshot("fedora-1", "fedora", "csi-gce-pd-vsc", false)
                + snapshot("centos-1", "centos", "hyperdisk-images", false)
                + snapshot("manual", null, "csi-gce-pd-vsc", false));
        BootSourceOperator operator = startOperator();

        await().atMost(CONVERGE).until(() -> snapshot("fedora-1") == null);
        StorageProfileReconcileTest.sleep(SETTLE);

        assertThat(deletes()).singleElement().satisfies(delete -> {
            assertThat(delete.path()).contains("/namespaces/" + NS + "/volumesnapshots/fedora-1");
            assertThat(delete.body()).contains("\"preconditions\"").contains("\"resourceVersion\"").contains("\"uid\"");
        });
        assertThat(snapshot("centos-1")).as("already on the desired class").isNotNull();
        assertThat(snapshot("manual")).as("not a golden snapshot").isNotNull();
        assertThat(get(operator, "/metrics").body()).contains("bootsource_golden_snapshot_recreations_total 1.0");
        await().atMost(CONVERGE).untilAsserted(() -> assertThat(recreatedEvents()).singleElement().satisfies(event -> {
            assertThat(event.getInvolvedObject().getKind()).isEqualTo("DataImportCron");
            assertThat(event.getInvolvedObject().getNamespace()).isEqualTo(NS);
            assertThat(event.getInvolvedObject().getName()).isEqualTo("fedora");
            assertThat(event.getMessage()).contains("fedora-1");
            assertThat(event.getMessage()).contains("hyperdisk-images");
        }));
    }

    @Test
    void withTwoStaleSnapshotsAndLimitOneTheSecondWaitsUntilTheFirstCronHasAReadySnapshotAgain() {
        cluster.create(cron("fedora", true) + cron("centos", true)
                + snapshot("centos-1", "centos", "csi-gce-pd-vsc", true)
                + snapshot("fedora-1", "fedora", "csi-gce-pd-vsc", true));
        startOperator();

        // centos-1 goes first (namespace/name order); its finalizer keeps its deletion in flight.
        await().atMost(CONVERGE).until(() -> snapshot("centos-1").getMetadata().getDeletionTimestamp() != null);
        StorageProfileReconcileTest.sleep(SETTLE);
        assertThat(deletes()).singleElement().satisfies(d -> assertThat(d.path()).endsWith("/volumesnapshots/centos-1"));
        assertThat(snapshot("fedora-1").getMetadata().getDeletionTimestamp()).isNull();

        // The snapshot controller finishes: the finalizer goes, and with it the snapshot.
        cluster.admin().resources(VolumeSnapshot.class).inNamespace(NS).withName("centos-1")
                .edit(s -> {
                    s.getMetadata().setFinalizers(List.of());
                    return s;
                });
        await().atMost(CONVERGE).until(() -> snapshot("centos-1") == null);
        // Gone is not done: the re-import is in flight until CDI has a ready snapshot of centos again.
        StorageProfileReconcileTest.sleep(SETTLE.multipliedBy(2));
        assertThat(deletes()).hasSize(1);
        assertThat(snapshot("fedora-1").getMetadata().getDeletionTimestamp()).isNull();

        cluster.create(snapshot("centos-2", "centos", "hyperdisk-images", false));
        await().atMost(CONVERGE).until(() -> snapshot("fedora-1") != null
                && snapshot("fedora-1").getMetadata().getDeletionTimestamp() != null);
        assertThat(deletes()).hasSize(2);
    }

    @Test
    void aSnapshotThatChangedSinceTheDecisionIsNotDeletedThenDecidedAgain() {
        cluster.create(cron("fedora", true) + snapshot("fedora-1", "fedora", "csi-gce-pd-vsc", false));
        // The API server refuses the first deletion as a failed precondition would (409 Conflict).
        cluster.faults().fail(r -> "DELETE".equals(r.method()) && r.concerns("volumesnapshots"), 1, 409);
        startOperator();

        await().atMost(CONVERGE).until(() -> snapshot("fedora-1") == null);
        assertThat(deletes()).hasSize(2);
    }

    @ParameterizedTest
    @EnumSource(value = GoldenSnapshotMode.class, names = {"DRY_RUN", "OFF"})
    void dryRunAndOffDeleteNothing(GoldenSnapshotMode mode) {
        cluster.create(cron("fedora", true) + snapshot("fedora-1", "fedora", "csi-gce-pd-vsc", false));
        startOperator(testSettings(), new BootSourcePolicy(CapabilityCatalogLoader.bundled(),
                PolicyOptions.DEFAULTS.withGoldenSnapshots(mode, 1)));

        awaitDesiredClassCreated();
        StorageProfileReconcileTest.sleep(SETTLE);
        assertThat(deletes()).isEmpty();
        assertThat(snapshot("fedora-1")).isNotNull();
    }

    @Test
    void aCronThatIsNotUpToDateBlocksUntilItIs() {
        cluster.create(cron("fedora", false) + snapshot("fedora-1", "fedora", "csi-gce-pd-vsc", false));
        startOperator();

        awaitDesiredClassCreated();
        StorageProfileReconcileTest.sleep(SETTLE);
        assertThat(deletes()).isEmpty();

        // CDI reports the cron UpToDate: that change alone brings the deletion.
        cluster.admin().resources(DataImportCron.class).inNamespace(NS).withName("fedora")
                .edit(c -> {
                    c.getStatus().getConditions().get(0).setStatus("True");
                    return c;
                });
        await().atMost(CONVERGE).until(() -> snapshot("fedora-1") == null);
        assertThat(deletes()).hasSize(1);
    }

    private void awaitDesiredClassCreated() {
        await().atMost(CONVERGE).until(() -> cluster.admin().resources(VolumeSnapshotClass.class)
                .withName("hyperdisk-images").get() != null);
    }

    private List<FaultInjectingDispatcher.Request> deletes() {
        return GoldenSnapshotScenario.deletes(cluster);
    }

    private VolumeSnapshot snapshot(String name) {
        return GoldenSnapshotScenario.snapshot(cluster, name);
    }

    private List<Event> recreatedEvents() {
        return GoldenSnapshotScenario.events(cluster, ProfileEvents.REASON_GOLDEN_SNAPSHOT_RECREATED);
    }

    private static String cron(String name, boolean upToDate) {
        return GoldenSnapshotScenario.cron(name, upToDate);
    }

    private static String snapshot(String name, String cron, String snapshotClass, boolean finalizer) {
        return GoldenSnapshotScenario.snapshot(name, cron, snapshotClass, finalizer);
    }
}
