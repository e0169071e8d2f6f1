package dev.bootsource.operator;

import dev.bootsource.model.DataImportCron;
import dev.bootsource.model.Keys;
import dev.bootsource.model.RecreationRecord;
import dev.bootsource.model.StorageProfile;
import dev.bootsource.model.VolumeSnapshot;
import dev.bootsource.model.VolumeSnapshotClass;
import dev.bootsource.policy.BootSourcePolicy;
import dev.bootsource.policy.admission.AdmissionDecision;
import dev.bootsource.policy.admission.AdmissionPolicy;
import dev.bootsource.policy.admission.AdmissionRequest;
import dev.bootsource.cluster.KubernetesObjects;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import static dev.bootsource.operator.GoldenSnapshotScenario.GCP_CLUSTER;
import static dev.bootsource.operator.GoldenSnapshotScenario.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The golden-snapshot migration never destroys an image in vain and never fights a CDI that manages boot
 * sources itself (spec §3.1, §5), against a live (mock) API server with CDI's behaviour simulated by the
 * test: re-imports after a delete, and CDI v1.66's own class choice and deletions.
 */
class GoldenSnapshotSafetyTest extends OperatorTestSupport {

    private static final Duration SETTLE = Duration.ofMillis(2500);

    @BeforeEach
    void installCdiAndSnapshots() {
        cluster.installCdi();
        cluster.installSnapshotCrds();
        cluster.createAll(GCP_CLUSTER);
    }

    @Test
    void aReimportThatComesBackStaleIsNotRecreatedAgainAcrossRestartsAndLeaderChanges() {
        answerLeasePermissionCheck(true);
        cluster.create(cron("fedora") + snapshot("fedora-1", "fedora", "csi-gce-pd-vsc"));
        BootSourceOperator first = startOperator();
        await().atMost(CONVERGE).until(() -> snapshot("fedora-1") == null);
        assertThat(record("fedora")).as("the recreation is recorded on the cron")
                .hasValueSatisfying(r -> assertThat(r.snapshot()).isEqualTo("fedora-1"));

        // CDI re-imports, but with the webhook down on a CDI that ignores the annotations: stale again.
        cluster.create(snapshot("fedora-2", "fedora", "csi-gce-pd-vsc"));
        StorageProfileReconcileTest.sleep(SETTLE);
        assertThat(deletes()).hasSize(1);
        await().atMost(CONVERGE).untilAsserted(() -> assertThat(blockedEvents())
                .anySatisfy(e -> assertThat(e.getMessage()).startsWith("recreated-before")));

        // A restart, then two replicas with leader election and a change of leader: still no second delete.
        stop(first);
        BootSourceOperator restarted = startOperator();
        await().atMost(CONVERGE).until(restarted::isReady);
        StorageProfileReconcileTest.sleep(SETTLE);
        stop(restarted);
        BootSourceOperator a = startReplica("a");
        await().atMost(CONVERGE).until(a::isLeading);
        StorageProfileReconcileTest.sleep(SETTLE);
        BootSourceOperator b = startReplica("b");
        stop(a);
        await().atMost(CONVERGE).until(b::isLeading);
        StorageProfileReconcileTest.sleep(SETTLE);

        assertThat(deletes()).hasSize(1);
        assertThat(snapshot("fedora-2")).isNotNull();
        assertThat(get(b, "/metrics").body())
                .contains("bootsource_golden_snapshots_blocked{reason=\"recreated-before\"} 1.0");

        // Once the cron's snapshot is on the expected class, the record is cleared.
        cluster.create(snapshot("fedora-3", "fedora", "hyperdisk-images"));
        await().atMost(CONVERGE).until(() -> record("fedora").isEmpty());
    }

    @Test
    void withLeaderElectionOnButTheLeaseRefusedNothingIsDeleted() {
        cluster.create(cron("fedora") + snapshot("fedora-1", "fedora", "csi-gce-pd-vsc"));
        answerLeasePermissionCheck(false);
        BootSourceOperator operator = startReplica("a");
        await().atMost(CONVERGE).until(operator::isLeading);
        await().atMost(CONVERGE).until(() -> cluster.admin().resources(VolumeSnapshotClass.class)
                .withName("hyperdisk-images").get() != null);
        StorageProfileReconcileTest.sleep(SETTLE);

        assertThat(deletes()).isEmpty();
        assertThat(get(operator, "/metrics").body())
                .contains("bootsource_golden_snapshots_blocked{reason=\"no-leader-election\"} 1.0");
    }

    /**
     * A CDI v1.66 that rewrites snapshotClassForDataImportCron, deletes golden snapshots not on its class and
     * re-imports, beside the operator for a minute, while an admin pinned BootSource's key to another images
     * class: BootSource deletes nothing and its webhook changes no VolumeSnapshot.
     */
    @Test
    void besideACdiThatManagesBootSourcesBootSourceDeletesNothingAndMutatesNoSnapshot() {
        cluster.create("""
                ---
                apiVersion: snapshot.storage.k8s.io/v1
                kind: VolumeSnapshotClass
                metadata:
                  name: team-images
                driver: pd.csi.storage.gke.io
                deletionPolicy: Delete
                parameters:
                  snapshot-type: images
                """ + cron("fedora") + cron("centos") + snapshot("fedora-1", "fedora", "csi-gce-pd-vsc"));
        cluster.admin().resources(StorageProfile.class).withName("hyperdisk").edit(p -> {
            p.getMetadata().getAnnotations().put(Keys.SNAPSHOT_CLASS_FOR_BOOT_SOURCES, "team-images");
            return p;
        });
        installCdiResource("v1.66.0");
        BootSourcePolicy policy = policy();
        BootSourceOperator operator = startOperator(testSettings(), policy);
        SimulatedCdi cdi = new SimulatedCdi(cluster.admin());
        AdmissionPolicy webhook = new AdmissionPolicy(policy);
        List<AdmissionDecision> snapshotAdmissions = new ArrayList<>();

        Instant end = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(end)) {
            for (VolumeSnapshot created : cdi.reconcile()) {
                snapshotAdmissions.add(webhook.decide(operator.clusterView(), new AdmissionRequest(AdmissionRequest.CREATE,
                        "snapshot.storage.k8s.io", "VolumeSnapshot", NS, created.getMetadata().getName(),
                        KubernetesObjects.MAPPER.valueToTree(created))));
            }
            StorageProfileReconcileTest.sleep(Duration.ofMillis(300));
        }

        assertThat(cdi.deletions).as("CDI itself recreated the stale snapshot").isPositive();
        assertThat(deletes()).as("deletions by BootSource").isEmpty();
        assertThat(cluster.operatorWrites("volumesnapshots")).isEmpty();
        assertThat(snapshotAdmissions).isNotEmpty()
                .allSatisfy(d -> assertThat(d).isNotInstanceOf(AdmissionDecision.Mutate.class));
        assertThat(get(operator, "/readyz").body()).contains("CDI manages boot sources");
        assertThat(get(operator, "/metrics").body()).contains("bootsource_cdi_manages_boot_sources 1.0");
    }

    /** What CDI v1.66 does, reduced to the parts that matter here (its StorageProfile and DataImportCron controllers). */
    private static final class SimulatedCdi {
        private final KubernetesClient client;
        private int deletions;
        private int imports;

        SimulatedCdi(KubernetesClient client) {
            this.client = client;
        }

        /** One round: rewrite U_VSC, delete golden snapshots not on it, re-import crons without a snapshot. */
        List<VolumeSnapshot> reconcile() {
            String cdiClass = client.resources(VolumeSnapshotClass.class).list().getItems().stream()
                    .filter(vsc -> "pd.csi.storage.gke.io".equals(vsc.getDriver())
                            && "images".equals(vsc.parametersOrEmpty().get("snapshot-type")))
                    .map(vsc -> vsc.getMetadata().getName())
                    .min(Comparator.naturalOrder()).orElseThrow();
            StorageProfile profile = client.resources(StorageProfile.class).withName("hyperdisk").get();
            if (!cdiClass.equals(profile.getMetadata().getAnnotations().get(Keys.UPSTREAM_SNAPSHOT_CLASS))) {
                client.resources(StorageProfile.class).withName("hyperdisk").edit(p -> {
                    p.getMetadata().getAnnotations().put(Keys.UPSTREAM_USE_RWO, "true");
                    p.getMetadata().getAnnotations().put(Keys.UPSTREAM_SNAPSHOT_CLASS, cdiClass);
                    return p;
                });
            }
            List<VolumeSnapshot> created = new ArrayList<>();
            for (String cron : List.of("fedora", "centos")) {
                List<VolumeSnapshot> ofCron = client.resources(VolumeSnapshot.class).inNamespace(NS)
                        .withLabel(Keys.DATA_IMPORT_CRON_LABEL, cron).list().getItems();
                for (VolumeSnapshot snapshot : ofCron) {
                    if (!snapshot.snapshotClassName().equals(Optional.of(cdiClass))) {
                        client.resource(snapshot).delete();
                        deletions++;
                    }
                }
                if (ofCron.stream().noneMatch(s -> s.snapshotClassName().equals(Optional.of(cdiClass)))) {
                    imports++;
                    VolumeSnapshot fresh = KubernetesObjects.MAPPER.convertValue(
                            KubernetesObjects.split(snapshot(cron + "-" + imports, cron, cdiClass), "import").get(0),
                            VolumeSnapshot.class);
                    created.add(client.resource(fresh).create());
                }
            }
            return created;
        }
    }

    /**
     * The mock server does not evaluate RBAC; answer the SDK's permission check as a cluster would, with
     * or without the Lease Role bound to the operator's ServiceAccount.
     */
    private void answerLeasePermissionCheck(boolean granted) {
        io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder review =
                new io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder();
        var status = review.withNewStatus().withIncomplete(false);
        if (granted) {
            status.addNewResourceRule().withApiGroups("coordination.k8s.io").withResources("leases")
                    .withVerbs("get", "create", "update").endResourceRule();
        }
        status.endStatus();
        cluster.server().expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
                .andReturn(201, review.build()).always();
    }

    private void installCdiResource(String version) {
        cluster.create("""
                ---
                apiVersion: cdi.kubevirt.io/v1beta1
                kind: CDI
                metadata:
                  name: cdi
                status:
                  observedVersion: %s
                """.formatted(version));
    }

    private BootSourceOperator startReplica(String name) {
        LeaseSettings lease = LeaseSettings.standard(LeaseSettings.DEFAULT_NAME, "bootsource", "replica-" + name)
                .withTiming(Duration.ofSeconds(4), Duration.ofSeconds(3), Duration.ofMillis(250));
        return startOperator(cluster.operatorClient(name), testSettings().withLease(lease), policy());
    }

    private Optional<RecreationRecord> record(String cron) {
        DataImportCron found = cluster.admin().resources(DataImportCron.class).inNamespace(NS).withName(cron).get();
        return found.recreationRecordText().map(RecreationRecord::parse);
    }

    private List<FaultInjectingDispatcher.Request> deletes() {
        return GoldenSnapshotScenario.deletes(cluster);
    }

    private VolumeSnapshot snapshot(String name) {
        return GoldenSnapshotScenario.snapshot(cluster, name);
    }

    private List<Event> blockedEvents() {
        return GoldenSnapshotScenario.events(cluster, ProfileEvents.REASON_GOLDEN_SNAPSHOT_BLOCKED);
    }

    private static String cron(String name) {
        return GoldenSnapshotScenario.cron(name, true);
    }

    private static String snapshot(String name, String cron, String snapshotClass) {
        return GoldenSnapshotScenario.snapshot(name, cron, snapshotClass, false);
    }
}
