package dev.bootsource.webhook;

import dev.bootsource.cluster.ClusterView;
import dev.bootsource.policy.BootSourcePolicy;
import dev.bootsource.policy.admission.AdmissionDecision;
import dev.bootsource.policy.admission.AdmissionPolicy;
import dev.bootsource.policy.admission.AdmissionRequest;

/**
 * Answers one AdmissionReview body: decode, decide against the cluster state as it is at that moment,
 * encode. The HTTPS server and {@code bootsource admit} both answer through this class, so {@code admit}
 * prints exactly what the server would return.
 */
public final class AdmissionReviewer {

    private final ClusterView cluster;
    private final AdmissionPolicy policy;

    /**
     * @param cluster read on every review; a live view (e.g. informer-backed) makes each answer current
     */
    public AdmissionReviewer(ClusterView cluster, BootSourcePolicy policy) {
        this.cluster = cluster;
        this.policy = new AdmissionPolicy(policy);
    }

    /**
     * @throws MalformedReviewException when the body is not an AdmissionReview request
     */
    public Review review(byte[] body) {
        AdmissionReviewCodec.ReviewRequest decoded = AdmissionReviewCodec.decode(body);
        AdmissionDecision decision = policy.decide(cluster, decoded.request());
        return new Review(decoded.uid(), decoded.request(), decision, AdmissionReviewCodec.encode(decoded.uid(), decision));
    }

    /**
     * One answered review.
     *
     * @param response the AdmissionReview response JSON
     */
    public record Review(String uid, AdmissionRequest request, AdmissionDecision decision, byte[] response) {

        /** One line for the log: the object, the outcome and its reason. */
        public String summary() {
            return request.operation() + " " + request.describe() + " (uid " + uid + "): " + decision.outcome() + ": " + decision.reason();
        }
    }
}
