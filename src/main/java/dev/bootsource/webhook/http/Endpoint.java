package dev.bootsource.webhook.http;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a {@link HardenedHttpServer} answers: one request in, one response out. The server reads the
 * request completely before calling {@link #answer}, on its bounded pool of workers, never on a thread
 * that does network I/O.
 */
public interface Endpoint {

    /**
     * A request's line and headers.
     *
     * @param path    the path of the request target, without the query string
     * @param headers the first value of each header, by lower-case name
     */
    record Head(String method, String path, Map<String, String> headers, InetSocketAddress client) {

        public Head {
            headers = Map.copyOf(headers);
        }

        public Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
        }
    }

    /** A complete response; the server adds Content-Length and Connection. */
    record Response(int status, String contentType, byte[] body, Map<String, String> headers) {

        public Response {
            headers = Map.copyOf(headers);
        }

        public static Response text(int status, String message) {
            return new Response(status, "text/plain; charset=utf-8", (message + "\n").getBytes(StandardCharsets.UTF_8), Map.of());
        }

        public static Response of(int status, String contentType, byte[] body) {
            return new Response(status, contentType, body, Map.of());
        }

        public Response withHeader(String name, String value) {
            Map<String, String> more = new LinkedHashMap<>(headers);
            more.put(name, value);
            return new Response(status, contentType, body, more);
        }
    }

    /**
     * Called when the headers are in, before the body is read: a response that refuses the request
     * outright (the body is then not read and the connection closes), or empty to go on.
     */
    default Optional<Response> refuseBeforeBody(Head head) {
        return Optional.empty();
    }

    /** The answer to a body over the server's limit. */
    default Response tooLarge(int maxBodyBytes) {
        return Response.text(413, "the body is larger than " + maxBodyBytes + " bytes");
    }

    /** The answer to a complete request; runs on the server's worker pool. */
    Response answer(Head head, byte[] body);
}
