package dev.bootsource.webhook;

import dev.bootsource.cluster.ClusterView;
import dev.bootsource.cluster.ForwardingClusterView;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.net.ssl.SSLContext;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static dev.bootsource.policy.admission.AdmissionFixtures.POLICY;
import static dev.bootsource.policy.admission.AdmissionFixtures.bytes;
import static dev.bootsource.policy.admission.AdmissionFixtures.dataVolumeReview;
import static dev.bootsource.policy.admission.AdmissionFixtures.gcpCluster;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The self-probe behind /healthz: a server that cannot answer a review of its own fails liveness, and recovers. */
class WebhookLivenessTest {

    private static final SelfProbe.Timing FAST = new SelfProbe.Timing(Duration.ofMillis(200), Duration.ofSeconds(2),
            Duration.ofSeconds(3));

    @Test
    @Timeout(30)
    void aWedgedServerFailsHealthzAndRecovers() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ClusterView stuck = new ForwardingClusterView() {
            @Override
            protected ClusterView delegate() {
                return gcpCluster();
            }

            @Override
            public Collection<StorageClass> storageClasses() {
                hang();
                return super.storageClasses();
            }

            @Override
            public Optional<StorageClass> storageClass(String name) {
                hang();
                return super.storageClass(name);
            }

            private void hang() {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        WebhookServer.Tuning tuning = WebhookServer.Tuning.DEFAULT.withProbe(FAST)
                .withLimits(WebhookServer.defaultLimits().withWorkers(1, 1));
        ExecutorService clients = Executors.newFixedThreadPool(3);
        try (WebhookServer server = WebhookServer.start(WebhookServer.Settings.selfSigned(0), stuck, POLICY,
                new SimpleMeterRegistry(), tuning)) {
            SSLContext trust = WebhookServerTest.trustingSelfSigned(server);
            await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ofSeconds(1))
                    .until(() -> RawClient.getTls(trust, server.port(), "/healthz", Duration.ofSeconds(5)).status() == 200);

            // Reviews whose decision hangs take the only worker and the only queue slot.
            for (int i = 0; i < 2; i++) {
                clients.submit(() -> RawClient.post(trust, server.port(), "/mutate", bytes(dataVolumeReview()), Duration.ofSeconds(20)));
            }

            await().atMost(Duration.ofSeconds(15)).until(() -> server.livenessProblem().isPresent());
            assertThat(server.livenessProblem().get()).contains("has not completed a TLS handshake and an admission review");
            assertThat(RawClient.getTls(trust, server.port(), "/healthz", Duration.ofSeconds(5)).status()).isEqualTo(503);

            release.countDown();
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> RawClient.getTls(trust, server.port(), "/healthz", Duration.ofSeconds(5)).status() == 200);
        } finally {
            release.countDown();
            clients.shutdownNow();
        }
    }

    @Test
    @Timeout(30)
    void aStoppedServerIsNotAlive() {
        WebhookServer server = WebhookServer.start(WebhookServer.Settings.selfSigned(0), gcpCluster(), POLICY,
                new SimpleMeterRegistry(), WebhookServer.Tuning.DEFAULT.withProbe(FAST));
        server.close();

        assertThat(server.livenessProblem()).contains("the admission webhook is stopped");
    }
}
