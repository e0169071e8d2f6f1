package dev.bootsource.webhook;

import dev.bootsource.webhook.http.ServerLimits;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.bootsource.policy.admission.AdmissionFixtures.POLICY;
import static dev.bootsource.policy.admission.AdmissionFixtures.bytes;
import static dev.bootsource.policy.admission.AdmissionFixtures.dataVolumeReview;
import static dev.bootsource.policy.admission.AdmissionFixtures.gcpCluster;
import static dev.bootsource.policy.admission.AdmissionFixtures.volumeSnapshotReview;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Clients that stall in the TLS handshake, trickle their headers or withhold their body hold a
 * connection each, never a thread: while 16 of them (of each kind) are held, valid reviews on fresh
 * connections are still answered within a second; and each phase's deadline ends them.
 */
class WebhookHostileClientTest {

    private static final Duration ONE_SECOND = Duration.ofSeconds(1);
    private static final int HOSTILE = 16;
    private static final int REVIEWS = 20;
    private static final byte[] DATA_VOLUME = bytes(dataVolumeReview());
    private static final byte[] VOLUME_SNAPSHOT = bytes(volumeSnapshotReview());

    private static WebhookServer server;
    private static SSLContext trust;
    private static ScheduledExecutorService trickler;

    enum Hostile {
        /** Connects and sends nothing: no ClientHello. */
        SILENT_CONNECTION,
        /** Sends the first bytes of a ClientHello, then nothing. */
        STALLED_HANDSHAKE,
        /** Completes the handshake, then sends a header line every 200 ms and never the blank line. */
        TRICKLED_HEADERS,
        /** Declares a 3 MiB body and sends 10 bytes of it. */
        WITHHELD_BODY
    }

    @BeforeAll
    static void start() throws Exception {
        server = WebhookServer.start(WebhookServer.Settings.selfSigned(0), gcpCluster(), POLICY);
        trust = WebhookServerTest.trustingSelfSigned(server);
        trickler = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterAll
    static void stop() {
        trickler.shutdownNow();
        server.close();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Hostile.class)
    @Timeout(30)
    void validReviewsAreAnsweredWithinASecondWhileSixteenHostileConnectionsAreHeld(Hostile kind) throws Exception {
        List<Socket> held = open(server.port(), kind, HOSTILE);
        try {
            awaitOpen(server, HOSTILE);

            assertThat(answeredWithinASecond()).as("valid reviews answered within 1 s of " + REVIEWS)
                    .isGreaterThanOrEqualTo(REVIEWS * 95 / 100);
        } finally {
            held.forEach(RawClient::closeQuietly);
        }
    }

    @Test
    @Timeout(30)
    void allHostileKindsAtOnceDoNotStopValidReviews() throws Exception {
        List<Socket> held = new ArrayList<>();
        try {
            for (Hostile kind : Hostile.values()) {
                held.addAll(open(server.port(), kind, HOSTILE));
            }

            assertThat(answeredWithinASecond()).isGreaterThanOrEqualTo(REVIEWS * 95 / 100);
        } finally {
            held.forEach(RawClient::closeQuietly);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Hostile.class)
    @Timeout(30)
    void eachPhaseHasADeadline(Hostile kind) throws Exception {
        Duration deadline = Duration.ofMillis(300);
        ServerLimits short_ = WebhookServer.defaultLimits().withTimeouts(deadline, deadline, deadline, deadline);
        try (WebhookServer strict = WebhookServer.start(WebhookServer.Settings.selfSigned(0), gcpCluster(), POLICY,
                new SimpleMeterRegistry(), WebhookServer.Tuning.DEFAULT.withLimits(short_))) {
            SSLContext strictTrust = WebhookServerTest.trustingSelfSigned(strict);
            List<Socket> held = open(strict.port(), kind, 4, strictTrust);
            try {
                for (Socket socket : held) {
                    assertThat(RawClient.closedByServer(socket, Duration.ofSeconds(3))).as(kind + " closed by the server").isTrue();
                }
                await().atMost(Duration.ofSeconds(2)).until(() -> strict.httpServer().openConnections() == 0);
            } finally {
                held.forEach(RawClient::closeQuietly);
            }
        }
    }

    @Test
    @Timeout(30)
    void anIdleKeepAliveConnectionIsClosedAfterItsDeadline() throws Exception {
        Duration deadline = Duration.ofMillis(300);
        ServerLimits short_ = WebhookServer.defaultLimits().withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5),
                Duration.ofSeconds(5), deadline);
        try (WebhookServer strict = WebhookServer.start(WebhookServer.Settings.selfSigned(0), gcpCluster(), POLICY,
                new SimpleMeterRegistry(), WebhookServer.Tuning.DEFAULT.withLimits(short_))) {
            Socket socket = RawClient.handshaken(WebhookServerTest.trustingSelfSigned(strict), strict.port());
            try {
                // The first request must arrive within the head deadline (5 s), so this one is still open ...
                assertThat(RawClient.closedByServer(socket, Duration.ofMillis(600))).isFalse();
            } finally {
                RawClient.closeQuietly(socket);
            }
        }
    }

    @Test
    @Timeout(30)
    void connectionsPastTheCapAreResetAtOnceAndServiceResumes() throws Exception {
        ServerLimits capped = WebhookServer.defaultLimits().withConnections(8, 8);
        try (WebhookServer small = WebhookServer.start(WebhookServer.Settings.selfSigned(0), gcpCluster(), POLICY,
                new SimpleMeterRegistry(), WebhookServer.Tuning.DEFAULT.withLimits(capped))) {
            SSLContext smallTrust = WebhookServerTest.trustingSelfSigned(small);
            List<Socket> held = open(small.port(), Hostile.SILENT_CONNECTION, 8, smallTrust);
            awaitOpen(small, 8);
            long started = System.nanoTime();
            try {
                Socket ninth = RawClient.silentTcp(small.port());
                assertThat(RawClient.closedByServer(ninth, Duration.ofSeconds(2))).isTrue();
                RawClient.closeQuietly(ninth);
            } catch (java.net.SocketException resetWhileConnecting) {
                // The reset can beat connect() itself on loopback: refused at once, as the cap promises.
            }
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(ONE_SECOND);
            assertThat(small.httpServer().refusedConnections()).isGreaterThanOrEqualTo(1);

            held.forEach(RawClient::closeQuietly);
            Thread.sleep(200);
            assertThat(RawClient.post(smallTrust, small.port(), "/mutate", DATA_VOLUME, Duration.ofSeconds(5)).status()).isEqualTo(200);
        }
    }

    @Test
    @Timeout(30)
    void bodiesPastTheMemoryBudgetAreRefusedWith503AndServiceResumes() throws Exception {
        int body = MutateEndpoint.MAX_BODY_BYTES;
        ServerLimits budget = WebhookServer.defaultLimits().withBodies(body, body + body / 2);
        try (WebhookServer small = WebhookServer.start(WebhookServer.Settings.selfSigned(0), gcpCluster(), POLICY,
                new SimpleMeterRegistry(), WebhookServer.Tuning.DEFAULT.withLimits(budget))) {
            SSLContext smallTrust = WebhookServerTest.trustingSelfSigned(small);
            Socket first = RawClient.bodyWithheld(smallTrust, small.port(), body, new byte[body - 10]);
            Thread.sleep(300);
            RawClient.Answer second = RawClient.post(smallTrust, small.port(), "/mutate", new byte[body - 10], Duration.ofSeconds(5));
            assertThat(second.status()).isEqualTo(503);

            RawClient.closeQuietly(first);
            Thread.sleep(200);
            assertThat(RawClient.post(smallTrust, small.port(), "/mutate", DATA_VOLUME, Duration.ofSeconds(5)).status()).isEqualTo(200);
        }
    }

    /** Valid reviews, one after another, each on a fresh connection; how many were answered 200 within a second. */
    private static int answeredWithinASecond() {
        int ok = 0;
        for (int i = 0; i < REVIEWS; i++) {
            RawClient.Answer answer = RawClient.post(trust, server.port(), "/mutate?timeout=5s",
                    i % 2 == 0 ? DATA_VOLUME : VOLUME_SNAPSHOT, Duration.ofSeconds(3));
            if (answer.okWithin(ONE_SECOND)) {
                ok++;
            }
        }
        return ok;
    }

    /** Connections are accepted asynchronously: wait until the server counts them. */
    private static void awaitOpen(WebhookServer on, int atLeast) {
        await().atMost(Duration.ofSeconds(5)).until(() -> on.httpServer().openConnections() >= atLeast);
    }

    private static List<Socket> open(int port, Hostile kind, int count) throws IOException {
        return open(port, kind, count, trust);
    }

    private static List<Socket> open(int port, Hostile kind, int count, SSLContext context) throws IOException {
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sockets.add(switch (kind) {
                case SILENT_CONNECTION -> RawClient.silentTcp(port);
                case STALLED_HANDSHAKE -> RawClient.stalledHandshake(port);
                case TRICKLED_HEADERS -> RawClient.headersStarted(context, port);
                case WITHHELD_BODY -> RawClient.bodyWithheld(context, port, MutateEndpoint.MAX_BODY_BYTES, new byte[10]);
            });
        }
        if (kind == Hostile.TRICKLED_HEADERS) {
            AtomicInteger line = new AtomicInteger();
            trickler.scheduleAtFixedRate(() -> {
                int next = line.incrementAndGet();
                for (Socket socket : sockets) {
                    try {
                        RawClient.trickle(socket, next);
                    } catch (IOException e) {
                        // closed by the server's deadline: that is the point
                    }
                }
            }, 200, 200, TimeUnit.MILLISECONDS);
        }
        return sockets;
    }
}
