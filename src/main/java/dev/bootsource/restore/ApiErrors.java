package dev.bootsource.restore;

import io.fabric8.kubernetes.client.KubernetesClientException;

/** What the API server said when a request failed, in one line. */
final class ApiErrors {

    private ApiErrors() {
    }

    static String message(KubernetesClientException e) {
        String message = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message.lines().findFirst().orElse(message);
    }
}
