package dev.bootsource.webhook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.IOException;

/** {@code GET /healthz}: 200 while the server answers. */
final class HealthEndpoint implements HttpHandler {

    static final String PATH = "/healthz";

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!PATH.equals(exchange.getRequestURI().getPath())) {
                HttpResponses.notFound(exchange);
            } else if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                HttpResponses.text(exchange, 405, exchange.getRequestMethod() + " is not allowed");
            } else {
                HttpResponses.text(exchange, 200, "ok");
            }
        }
    }
}
