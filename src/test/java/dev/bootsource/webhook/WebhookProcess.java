package dev.bootsource.webhook;

import static dev.bootsource.policy.admission.AdmissionFixtures.POLICY;
import static dev.bootsource.policy.admission.AdmissionFixtures.gcpCluster;

/**
 * The webhook alone in a JVM of its own, for tests that need a small heap: prints {@code port=N ca=FILE}
 * on standard output, then serves until killed.
 */
final class WebhookProcess {

    private WebhookProcess() {
    }

    public static void main(String[] args) throws InterruptedException {
        WebhookServer server = WebhookServer.start(WebhookServer.Settings.selfSigned(0), gcpCluster(), POLICY);
        System.out.println("port=" + server.port() + " ca=" + server.selfSignedCertificateFile().orElseThrow());
        System.out.flush();
        Thread.currentThread().join();
    }
}
