package dev.bootsource.operator;

import dev.bootsource.webhook.RawClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The health port answers the kubelet while other clients misbehave: connections that send nothing,
 * trickle their headers or withhold a declared body hold no thread, and one address cannot take all
 * the connection slots.
 */
class HealthServerTest {

    private static final Duration ONE_SECOND = Duration.ofSeconds(1);
    private static final List<String> HOSTILE = List.of(
            "",
            "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: 1\r\n",
            "GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n");

    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    @Test
    @Timeout(30)
    void theKubeletIsAnsweredWhileAnotherPodHoldsHostileConnections() throws Exception {
        try (HealthServer server = new HealthServer(0, HealthServerTest::ok, HealthServerTest::ok, metrics)) {
            List<Socket> held = hostile("127.0.0.2", server.port(), 16);
            try {
                assertThat(probes(server.port())).isGreaterThanOrEqualTo(19);
            } finally {
                held.forEach(RawClient::closeQuietly);
            }
        }
    }

    @Test
    @Timeout(30)
    void hostileConnectionsFromTheKubeletsOwnAddressHoldNoThread() throws Exception {
        try (HealthServer server = new HealthServer(0, HealthServerTest::ok, HealthServerTest::ok, metrics,
                HealthServer.LIMITS.withConnections(256, 256))) {
            List<Socket> held = hostile("127.0.0.1", server.port(), 16);
            try {
                assertThat(probes(server.port())).isGreaterThanOrEqualTo(19);
            } finally {
                held.forEach(RawClient::closeQuietly);
            }
        }
    }

    @Test
    @Timeout(30)
    void healthzFollowsTheLivenessCheck() {
        AtomicBoolean alive = new AtomicBoolean(true);
        try (HealthServer server = new HealthServer(0, () -> new HealthServer.Check(alive.get(), alive.get() ? "" : "wedged"),
                HealthServerTest::ok, metrics)) {
            assertThat(RawClient.get(server.port(), "/healthz", ONE_SECOND).status()).isEqualTo(200);
            alive.set(false);
            RawClient.Answer answer = RawClient.get(server.port(), "/healthz", ONE_SECOND);
            assertThat(answer.status()).isEqualTo(503);
            assertThat(answer.body()).contains("wedged");
            assertThat(RawClient.get(server.port(), "/metrics", ONE_SECOND).status()).isEqualTo(200);
        }
    }

    @Test
    @Timeout(30)
    void metricsAreTheTextFormatEvenForAScraperThatAsksForProtobuf() throws Exception {
        metrics.counter("bootsource_test_total").increment();
        try (HealthServer server = new HealthServer(0, HealthServerTest::ok, HealthServerTest::ok, metrics)) {
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                    .header("Accept", "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.7,"
                            + "text/plain;version=0.0.4;q=0.3")
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
            assertThat(answer.body()).contains("# TYPE bootsource_test_total counter", "bootsource_test_total 1.0");
        }
    }

    /** The pom names the text-formats artifact's version by hand; it must stay the one micrometer's client uses. */
    @Test
    void thePrometheusTextFormatsAreTheVersionOfThePrometheusClient() throws IOException {
        assertThat(mavenVersion("prometheus-metrics-exposition-textformats")).isEqualTo(mavenVersion("prometheus-metrics-core"));
    }

    private static String mavenVersion(String prometheusArtifact) throws IOException {
        String resource = "META-INF/maven/io.prometheus/" + prometheusArtifact + "/pom.properties";
        try (InputStream in = HealthServerTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        }
    }

    /** {@code count} connections of each hostile kind from {@code address}. */
    static List<Socket> hostile(String address, int port, int count) throws Exception {
        List<Socket> sockets = new ArrayList<>();
        for (String text : HOSTILE) {
            for (int i = 0; i < count; i++) {
                try {
                    sockets.add(RawClient.plainFrom(address, port, text));
                } catch (IOException e) {
                    // past the per-address cap: reset at once, as intended
                }
            }
        }
        return sockets;
    }

    /** Twenty probes on fresh connections, as the kubelet sends them; how many got 200 within a second. */
    static int probes(int port) {
        int ok = 0;
        for (int i = 0; i < 20; i++) {
            if (RawClient.get(port, "/healthz", Duration.ofSeconds(3)).okWithin(ONE_SECOND)) {
                ok++;
            }
        }
        return ok;
    }

    private static HealthServer.Check ok() {
        return new HealthServer.Check(true, "");
    }
}
