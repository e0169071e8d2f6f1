package dev.bootsource.operator;

import dev.bootsource.webhook.http.Endpoint;
import dev.bootsource.webhook.http.HardenedHttpServer;
import dev.bootsource.webhook.http.ServerLimits;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Plain-HTTP endpoints for the kubelet and Prometheus: {@code /healthz} (liveness), {@code /readyz}
 * (readiness, with the reason when not ready) and {@code /metrics} (Prometheus text format).
 *
 * <p>Hardened like the webhook (the same {@link HardenedHttpServer}): any pod can reach this port, and
 * a client that trickles its headers or never sends its body must not keep the kubelet's probe from
 * being answered. Few connections are needed here (the kubelet and a scraper), so the caps are small,
 * per client address too, so one noisy client cannot take the probe's slot.
 */
final class HealthServer implements AutoCloseable {

    /** An answer to a probe: healthy or not, and a line or two saying why. */
    record Check(boolean ok, String detail) {
    }

    /**
     * 64 connections, 8 per client address; 5 s for a request's headers, 60 s idle between requests;
     * no bodies; two workers (a scrape does not hold up a probe for long).
     */
    static final ServerLimits LIMITS = new ServerLimits(64, 8, Duration.ofSeconds(5), Duration.ofSeconds(5),
            Duration.ofSeconds(5), Duration.ofSeconds(60), 1024, 64 * 1024, 2, 32);

    private static final Logger log = LoggerFactory.getLogger(HealthServer.class);
    private static final String TEXT = "text/plain; charset=utf-8";

    private final HardenedHttpServer server;

    HealthServer(int port, Supplier<Check> liveness, Supplier<Check> readiness, PrometheusMeterRegistry metrics) {
        this(port, liveness, readiness, metrics, LIMITS);
    }

    HealthServer(int port, Supplier<Check> liveness, Supplier<Check> readiness, PrometheusMeterRegistry metrics, ServerLimits limits) {
        Endpoint endpoint = new Endpoint() {
            @Override
            public Optional<Response> refuseBeforeBody(Head head) {
                if (!"GET".equals(head.method()) && !"HEAD".equals(head.method())) {
                    return Optional.of(Response.text(405, "only GET and HEAD are served here").withHeader("Allow", "GET, HEAD"));
                }
                return Optional.empty();
            }

            @Override
            public Response answer(Head head, byte[] body) {
                return switch (head.path()) {
                    case "/healthz" -> answer(liveness.get());
                    case "/readyz" -> answer(readiness.get());
                    case "/metrics" -> Response.of(200, "text/plain; version=0.0.4; charset=utf-8",
                            metrics.scrape().getBytes(StandardCharsets.UTF_8));
                    default -> Response.text(404, "not found: this server serves /healthz, /readyz and /metrics");
                };
            }

            private Response answer(Check check) {
                return Response.of(check.ok() ? 200 : 503, TEXT,
                        ((check.ok() ? "ok" : "not ok") + "\n" + check.detail() + "\n").getBytes(StandardCharsets.UTF_8));
            }
        };
        try {
            server = HardenedHttpServer.start("health", new InetSocketAddress(port), Optional.empty(), limits, endpoint);
        } catch (UncheckedIOException e) {
            throw new UncheckedIOException("cannot listen on port " + port + " for /metrics, /healthz and /readyz", e.getCause());
        }
        log.atInfo().addKeyValue("port", port()).log("serving /metrics, /healthz and /readyz");
    }

    int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
    }
}
