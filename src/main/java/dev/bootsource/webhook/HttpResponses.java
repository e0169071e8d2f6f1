package dev.bootsource.webhook;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Writing a complete response on an exchange, the way every endpoint of the webhook answers. */
final class HttpResponses {

    private HttpResponses() {
    }

    static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    static void text(HttpExchange exchange, int status, String message) throws IOException {
        send(exchange, status, "text/plain; charset=utf-8", (message + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** 404, naming what the server does serve. */
    static void notFound(HttpExchange exchange) throws IOException {
        text(exchange, 404, "not found: this server serves POST " + MutateEndpoint.PATH + " and GET " + HealthEndpoint.PATH);
    }

    /** 400 for a body that is not read; the connection closes since the unread body still sits on it. */
    static void rejectBody(HttpExchange exchange, String message) throws IOException {
        exchange.getResponseHeaders().set("Connection", "close");
        text(exchange, 400, message);
    }
}
