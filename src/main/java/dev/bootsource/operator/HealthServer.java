package dev.bootsource.operator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Plain-HTTP endpoints for the kubelet and Prometheus: {@code /healthz} (liveness), {@code /readyz}
 * (readiness, with the reason when not ready) and {@code /metrics} (Prometheus text format).
 */
final class HealthServer implements AutoCloseable {

    /** An answer to a probe: healthy or not, and a line or two saying why. */
    record Check(boolean ok, String detail) {
    }

    private static final Logger log = LoggerFactory.getLogger(HealthServer.class);
    private static final String TEXT = "text/plain; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor;

    HealthServer(int port, Supplier<Check> liveness, Supplier<Check> readiness, PrometheusMeterRegistry metrics) {
        try {
            server = HttpServer.create(new InetSocketAddress(port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on port " + port + " for /metrics, /healthz and /readyz", e);
        }
        executor = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "bootsource-health");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/healthz", exchange -> answer(exchange, liveness.get()));
        server.createContext("/readyz", exchange -> answer(exchange, readiness.get()));
        server.createContext("/metrics", exchange ->
                respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape()));
        server.start();
        log.atInfo().addKeyValue("port", port()).log("serving /metrics, /healthz and /readyz");
    }

    int port() {
        return server.getAddress().getPort();
    }

    private static void answer(HttpExchange exchange, Check check) throws IOException {
        respond(exchange, check.ok() ? 200 : 503, TEXT, (check.ok() ? "ok" : "not ok") + "\n" + check.detail() + "\n");
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            boolean head = "HEAD".equals(exchange.getRequestMethod());
            exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
