package dev.bootsource.webhook;

import dev.bootsource.policy.admission.AdmissionDecision;
import dev.bootsource.webhook.http.Endpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code POST /mutate}: one AdmissionReview in, one out. Bodies that are not a JSON AdmissionReview of
 * at most {@link #MAX_BODY_BYTES} get HTTP 400 with a one-line reason; the query string the API server
 * adds ({@code ?timeout=5s}) is ignored. Headers that rule the body out are answered before it is read.
 */
final class MutateEndpoint {

    static final String PATH = "/mutate";
    /** The API server accepts requests up to 3 MiB, so no admitted object is larger than this. */
    static final int MAX_BODY_BYTES = 3 * 1024 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(MutateEndpoint.class);

    private final AdmissionReviewer reviewer;
    private final AdmissionMetrics metrics;

    MutateEndpoint(AdmissionReviewer reviewer, AdmissionMetrics metrics) {
        this.reviewer = reviewer;
        this.metrics = metrics;
    }

    Optional<Endpoint.Response> refuseBeforeBody(Endpoint.Head head) {
        if (!"POST".equals(head.method())) {
            return Optional.of(HttpResponses.methodNotAllowed(head.method(), "POST", ": send the AdmissionReview with POST"));
        }
        Optional<String> problem = contentProblem(head);
        problem.ifPresent(reason -> metrics.refused("malformed"));
        return problem.map(reason -> Endpoint.Response.text(400, reason));
    }

    Endpoint.Response tooLarge() {
        metrics.refused("malformed");
        return Endpoint.Response.text(400, tooLargeMessage());
    }

    Endpoint.Response answer(Endpoint.Head head, byte[] body) {
        long started = System.nanoTime();
        AdmissionReviewer.Review review;
        try {
            review = reviewer.review(body);
        } catch (MalformedReviewException e) {
            metrics.refused("malformed");
            LOG.atWarn().addKeyValue("client", head.client()).log("malformed admission request: " + LogText.escape(e.getMessage()));
            return Endpoint.Response.text(400, LogText.escape(e.getMessage()));
        } catch (RuntimeException e) {
            // A bug, not the request's fault: the API server's failurePolicy (Ignore) admits the object unchanged.
            metrics.refused("error");
            LOG.atError().addKeyValue("client", head.client()).setCause(e).log("cannot answer an admission request");
            return Endpoint.Response.text(500, "internal error: " + LogText.escape(e));
        }
        log(review);
        metrics.answered(review.request().kind(), review.decision(), Duration.ofNanos(System.nanoTime() - started));
        return Endpoint.Response.of(200, HttpResponses.JSON, review.response());
    }

    /**
     * Enforced objects at INFO (WARN when something was unknown), the rest at DEBUG; the reason is the
     * message. Every value comes from the request, so each is escaped to stay on its line.
     */
    private static void log(AdmissionReviewer.Review review) {
        AdmissionDecision decision = review.decision();
        LoggingEventBuilder event = decision instanceof AdmissionDecision.Unresolved ? LOG.atWarn()
                : decision instanceof AdmissionDecision.Ignored ? LOG.atDebug()
                : LOG.atInfo();
        event.addKeyValue("uid", LogText.value(review.uid()))
                .addKeyValue("operation", LogText.value(review.request().operation()))
                .addKeyValue("object", LogText.value(review.request().describe()))
                .addKeyValue("outcome", LogText.value(decision.outcome()))
                .log(LogText.escape(decision.reason()));
    }

    /** Why the headers rule the body out, if they do. */
    private static Optional<String> contentProblem(Endpoint.Head head) {
        Optional<String> contentType = head.header("Content-Type");
        String mediaType = contentType.map(type -> type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT)).orElse("");
        if (!HttpResponses.JSON.equals(mediaType)) {
            return Optional.of("Content-Type must be " + HttpResponses.JSON + ", not "
                    + contentType.map(LogText::escape).orElse("absent"));
        }
        Optional<String> encoding = head.header("Content-Encoding");
        if (encoding.isPresent() && !encoding.get().isBlank() && !"identity".equalsIgnoreCase(encoding.get().trim())) {
            return Optional.of("Content-Encoding " + LogText.escape(encoding.get()) + " is not supported; send the body uncompressed");
        }
        Optional<String> length = head.header("Content-Length");
        if (length.isPresent()) {
            try {
                long declared = Long.parseLong(length.get().trim());
                if (declared > MAX_BODY_BYTES) {
                    return Optional.of(tooLargeMessage());
                }
                if (declared < 0) {
                    return Optional.of("Content-Length " + LogText.escape(length.get()) + " is negative");
                }
            } catch (NumberFormatException e) {
                return Optional.of("Content-Length " + LogText.escape(length.get()) + " is not a number");
            }
        }
        return Optional.empty();
    }

    private static String tooLargeMessage() {
        return "the body is larger than " + MAX_BODY_BYTES + " bytes (3 MiB), the most an AdmissionReview can be";
    }
}
