package dev.bootsource.webhook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.bootsource.policy.admission.AdmissionDecision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

import java.io.IOException;
import java.util.Arrays;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code POST /mutate}: one AdmissionReview in, one out. Bodies that are not a JSON AdmissionReview of
 * at most {@link #MAX_BODY_BYTES} get HTTP 400 with a one-line reason; the query string the API server
 * adds ({@code ?timeout=5s}) is ignored.
 */
final class MutateEndpoint implements HttpHandler {

    static final String PATH = "/mutate";
    /** The API server accepts requests up to 3 MiB, so no admitted object is larger than this. */
    static final int MAX_BODY_BYTES = 3 * 1024 * 1024;
    private static final String JSON = "application/json";
    private static final Logger LOG = LoggerFactory.getLogger(MutateEndpoint.class);

    private final AdmissionReviewer reviewer;
    private final AdmissionMetrics metrics;

    MutateEndpoint(AdmissionReviewer reviewer, AdmissionMetrics metrics) {
        this.reviewer = reviewer;
        this.metrics = metrics;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!PATH.equals(exchange.getRequestURI().getPath())) {
                HttpResponses.notFound(exchange);
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "POST");
                HttpResponses.text(exchange, 405, exchange.getRequestMethod() + " is not allowed: send the "
                        + "AdmissionReview with POST");
                return;
            }
            Optional<String> problem = contentProblem(exchange);
            if (problem.isPresent()) {
                metrics.refused("malformed");
                HttpResponses.rejectBody(exchange, problem.get());
                return;
            }
            byte[] body = readBody(exchange);
            if (body.length > MAX_BODY_BYTES) {
                metrics.refused("malformed");
                HttpResponses.rejectBody(exchange, tooLarge());
                return;
            }
            answer(exchange, body);
        } catch (IOException e) {
            LOG.atDebug().addKeyValue("client", exchange.getRemoteAddress()).log("admission request broke off: " + e);
        }
    }

    private void answer(HttpExchange exchange, byte[] body) throws IOException {
        long started = System.nanoTime();
        AdmissionReviewer.Review review;
        try {
            review = reviewer.review(body);
        } catch (MalformedReviewException e) {
            metrics.refused("malformed");
            LOG.atWarn().addKeyValue("client", exchange.getRemoteAddress()).log("malformed admission request: " + e.getMessage());
            HttpResponses.text(exchange, 400, e.getMessage());
            return;
        } catch (RuntimeException e) {
            // A bug, not the request's fault: the API server's failurePolicy (Ignore) admits the object unchanged.
            metrics.refused("error");
            LOG.atError().addKeyValue("client", exchange.getRemoteAddress()).setCause(e).log("cannot answer an admission request");
            HttpResponses.text(exchange, 500, "internal error: " + e);
            return;
        }
        log(review);
        HttpResponses.send(exchange, 200, JSON, review.response());
        metrics.answered(review.request().kind(), review.decision(), Duration.ofNanos(System.nanoTime() - started));
    }

    /** Enforced objects at INFO (WARN when something was unknown), the rest at DEBUG; the reason is the message. */
    private static void log(AdmissionReviewer.Review review) {
        AdmissionDecision decision = review.decision();
        LoggingEventBuilder event = decision instanceof AdmissionDecision.Unresolved ? LOG.atWarn()
                : decision instanceof AdmissionDecision.Ignored ? LOG.atDebug()
                : LOG.atInfo();
        event.addKeyValue("uid", review.uid())
                .addKeyValue("operation", review.request().operation())
                .addKeyValue("object", review.request().describe())
                .addKeyValue("outcome", decision.outcome())
                .log(decision.reason());
    }

    /** Why the headers rule the body out, if they do. */
    private static Optional<String> contentProblem(HttpExchange exchange) {
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!JSON.equals(mediaType)) {
            return Optional.of("Content-Type must be " + JSON + ", not " + (contentType == null ? "absent" : contentType));
        }
        String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
        if (encoding != null && !encoding.isBlank() && !"identity".equalsIgnoreCase(encoding.trim())) {
            return Optional.of("Content-Encoding " + encoding + " is not supported; send the body uncompressed");
        }
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            try {
                long declared = Long.parseLong(length.trim());
                if (declared > MAX_BODY_BYTES) {
                    return Optional.of(tooLarge());
                }
                if (declared < 0) {
                    return Optional.of("Content-Length " + length + " is negative");
                }
            } catch (NumberFormatException e) {
                return Optional.of("Content-Length " + length + " is not a number");
            }
        }
        return Optional.empty();
    }

    /**
     * The body in one array of its declared length; a chunked body up to one byte over the limit, which
     * tells an oversize body without reading all of it.
     */
    private static byte[] readBody(HttpExchange exchange) throws IOException {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if (length == null) {
            return exchange.getRequestBody().readNBytes(MAX_BODY_BYTES + 1);
        }
        byte[] body = new byte[Integer.parseInt(length.trim())];
        int read = exchange.getRequestBody().readNBytes(body, 0, body.length);
        return read == body.length ? body : Arrays.copyOf(body, read);
    }

    private static String tooLarge() {
        return "the body is larger than " + MAX_BODY_BYTES + " bytes (3 MiB), the most an AdmissionReview can be";
    }
}
