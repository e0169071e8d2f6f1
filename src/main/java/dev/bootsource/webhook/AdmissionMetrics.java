package dev.bootsource.webhook;

import dev.bootsource.policy.admission.AdmissionDecision;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The webhook's Prometheus metrics: admissions by kind and result, and how long answering took. In
 * {@code run} they share the operator's registry, so one {@code /metrics} shows both.
 */
final class AdmissionMetrics {

    static final String ADMISSIONS = "bootsource.admissions";
    static final String DURATION = "bootsource.admission.duration";
    /** In Prometheus: {@code bootsource_webhook_certificate_expiry_timestamp_seconds}. */
    static final String CERTIFICATE_EXPIRY = "bootsource.webhook.certificate.expiry.timestamp";

    private final MeterRegistry registry;
    private final Timer duration;

    AdmissionMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.duration = Timer.builder(DURATION)
                .description("time to decide and answer one AdmissionReview")
                .publishPercentileHistogram()
                .register(registry);
    }

    /** The served certificate's notAfter, in seconds since the epoch, for an alert before it expires. */
    void certificateExpiry(Supplier<X509Certificate> served) {
        Gauge.builder(CERTIFICATE_EXPIRY, served, certificate -> certificate.get().getNotAfter().getTime() / 1000.0)
                .description("notAfter of the TLS certificate the webhook serves, in seconds since the epoch")
                .baseUnit("seconds")
                .strongReference(true)
                .register(registry);
    }

    /** An AdmissionReview answered with HTTP 200. */
    void answered(String kind, AdmissionDecision decision, Duration took) {
        count(kind, result(decision));
        duration.record(took);
    }

    /** A request answered with HTTP 400 (malformed) or 500 (a fault of ours); {@code result} says which. */
    void refused(String result) {
        count("", result);
    }

    private void count(String kind, String result) {
        Counter.builder(ADMISSIONS)
                .description("AdmissionReviews by object kind and result")
                .tag("kind", kind)
                .tag("result", result)
                .register(registry)
                .increment();
    }

    private static String result(AdmissionDecision decision) {
        if (decision instanceof AdmissionDecision.Mutate) {
            return "patched";
        }
        if (decision instanceof AdmissionDecision.Unchanged) {
            return "unchanged";
        }
        return decision instanceof AdmissionDecision.Unresolved ? "unresolved" : "ignored";
    }
}
