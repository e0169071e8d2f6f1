package dev.bootsource.webhook;

import dev.bootsource.webhook.http.Endpoint;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code GET /healthz}: 200 while the server completes its own TLS handshake and review (the self-probe),
 * 503 with the reason once it has not for too long.
 */
final class HealthEndpoint {

    static final String PATH = "/healthz";

    private final Supplier<Optional<String>> problem;

    HealthEndpoint(Supplier<Optional<String>> problem) {
        this.problem = problem;
    }

    Endpoint.Response answer(Endpoint.Head head) {
        if (!"GET".equals(head.method()) && !"HEAD".equals(head.method())) {
            return HttpResponses.methodNotAllowed(head.method(), "GET, HEAD", "");
        }
        return problem.get().map(reason -> Endpoint.Response.text(503, "not ok: " + reason))
                .orElseGet(() -> Endpoint.Response.text(200, "ok"));
    }
}
