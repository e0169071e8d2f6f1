package dev.bootsource.operator;

import dev.bootsource.model.Keys;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Two replicas, one Lease: one reconciles at a time, hand-over is quick and writes nothing twice. */
class LeaderElectionTest extends OperatorTestSupport {

    private static final Path GCP_CLUSTER = Path.of("src/test/resources/operator/gcp-cluster.yaml");
    private static final String LEASE_NAMESPACE = "bootsource";

    @BeforeEach
    void allowLeases() {
        cluster.installCdi();
        cluster.installSnapshotCrds();
        // The mock server does not evaluate RBAC; answer the SDK's permission check as a cluster would
        // for the operator's ServiceAccount with the Lease Role bound.
        SelfSubjectRulesReview allowed = new SelfSubjectRulesReviewBuilder()
                .withNewStatus()
                .addNewResourceRule().withApiGroups("coordination.k8s.io").withResources("leases")
                .withVerbs("get", "create", "update").endResourceRule()
                .withIncomplete(false)
                .endStatus()
                .build();
        cluster.server().expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
                .andReturn(201, allowed).always();
    }

    @Test
    void onlyTheLeaseHolderReconcilesAndEveryProfileIsWrittenOnce() {
        BootSourceOperator a = startReplica("a");
        BootSourceOperator b = startReplica("b");
        await().atMost(CONVERGE).until(() -> a.isLeading() != b.isLeading());
        BootSourceOperator leader = a.isLeading() ? a : b;
        String leaderAgent = MockCluster.OPERATOR_AGENT + "/" + (leader == a ? "a" : "b");

        cluster.createAll(GCP_CLUSTER);
        awaitConverged();

        for (String profile : List.of("hyperdisk", "hyperdisk-ha", "standard")) {
            assertThat(patchesTo(profile)).singleElement()
                    .satisfies(patch -> assertThat(patch.userAgent()).isEqualTo(leaderAgent));
        }
        assertThat(cluster.operatorWrites("volumesnapshotclasses")).singleElement()
                .satisfies(create -> assertThat(create.userAgent()).isEqualTo(leaderAgent));
        await().atMost(CONVERGE).until(() -> a.isReady() && b.isReady());
        assertThat(get(leader == a ? b : a, "/readyz").body()).contains("standby");
        assertThat(a.isLeading() && b.isLeading()).isFalse();
    }

    @Test
    void whenTheLeaderStopsAnotherTakesOverWithinSecondsWithoutWritingAgain() {
        cluster.createAll(GCP_CLUSTER);
        BootSourceOperator a = startReplica("a");
        BootSourceOperator b = startReplica("b");
        awaitConverged();
        BootSourceOperator leader = a.isLeading() ? a : b;
        BootSourceOperator standby = leader == a ? b : a;
        cluster.clearRequests();

        long stopped = System.nanoTime();
        stop(leader);
        await().atMost(CONVERGE).until(standby::isLeading);
        Duration takeover = Duration.ofNanos(System.nanoTime() - stopped);
        assertThat(takeover).isLessThan(Duration.ofSeconds(5));

        StorageProfileReconcileTest.sleep(Duration.ofSeconds(1));
        assertThat(cluster.operatorWrites("storageprofiles")).isEmpty();
        assertThat(cluster.operatorWrites("volumesnapshotclasses")).isEmpty();

        cluster.create("""
                apiVersion: storage.k8s.io/v1
                kind: StorageClass
                metadata:
                  name: late
                provisioner: pd.csi.storage.gke.io
                parameters:
                  type: hyperdisk-balanced
                ---
                apiVersion: cdi.kubevirt.io/v1beta1
                kind: StorageProfile
                metadata:
                  name: late
                """);
        await().atMost(CONVERGE).until(() -> "hyperdisk-images".equals(cluster.annotations("late").get(Keys.SNAPSHOT_CLASS_FOR_BOOT_SOURCES)));
        assertThat(patchesTo("late")).hasSize(1);
    }

    @Test
    void aLeaderThatLosesItsLeaseStopsReconciling() {
        cluster.createAll(GCP_CLUSTER);
        BootSourceOperator a = startReplica("a");
        awaitConverged();

        // Simulated: another replica holds the Lease now, as after a partition longer than the renew deadline.
        cluster.admin().leases().inNamespace(LEASE_NAMESPACE).withName(LeaseSettings.DEFAULT_NAME).edit((Lease lease) -> {
            lease.getSpec().setHolderIdentity("replica-elsewhere");
            lease.getSpec().setRenewTime(ZonedDateTime.now(ZoneOffset.UTC));
            lease.getSpec().setLeaseDurationSeconds(60);
            return lease;
        });
        await().atMost(CONVERGE).until(() -> !a.isLeading());

        cluster.clearRequests();
        cluster.create("""
                apiVersion: storage.k8s.io/v1
                kind: StorageClass
                metadata:
                  name: late
                provisioner: pd.csi.storage.gke.io
                ---
                apiVersion: cdi.kubevirt.io/v1beta1
                kind: StorageProfile
                metadata:
                  name: late
                """);
        StorageProfileReconcileTest.sleep(Duration.ofSeconds(2));
        assertThat(cluster.annotations("late")).isEmpty();
        assertThat(cluster.operatorWrites("storageprofiles")).isEmpty();
        assertThat(a.isReady()).isTrue();
    }

    private BootSourceOperator startReplica(String name) {
        LeaseSettings lease = LeaseSettings.standard(LeaseSettings.DEFAULT_NAME, LEASE_NAMESPACE, "replica-" + name)
                .withTiming(Duration.ofSeconds(4), Duration.ofSeconds(3), Duration.ofMillis(250));
        return startOperator(cluster.operatorClient(name), testSettings().withLease(lease), policy());
    }

    private void awaitConverged() {
        await().atMost(CONVERGE).until(() ->
                "hyperdisk-images".equals(cluster.annotations("hyperdisk").get(Keys.SNAPSHOT_CLASS_FOR_BOOT_SOURCES))
                        && "hyperdisk-images".equals(cluster.annotations("standard").get(Keys.SNAPSHOT_CLASS_FOR_BOOT_SOURCES))
                        && "true".equals(cluster.annotations("hyperdisk-ha").get(Keys.USE_RWO_FOR_BOOT_SOURCES)));
    }

    private List<FaultInjectingDispatcher.Request> patchesTo(String profile) {
        return cluster.operatorWrites("storageprofiles").stream()
                .filter(request -> request.path().endsWith("/storageprofiles/" + profile))
                .toList();
    }
}
