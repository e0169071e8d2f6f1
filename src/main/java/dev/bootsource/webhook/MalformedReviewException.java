package dev.bootsource.webhook;

/** A body that is not a usable admission.k8s.io/v1 AdmissionReview request; the message says what is wrong. */
public final class MalformedReviewException extends RuntimeException {

    public MalformedReviewException(String message) {
        super(message, null, false, false);
    }
}
