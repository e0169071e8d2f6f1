package dev.bootsource.webhook;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.net.ssl.SSLContext;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.bootsource.policy.admission.AdmissionFixtures.bytes;
import static dev.bootsource.policy.admission.AdmissionFixtures.dataVolumeReview;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Big bodies built to blow up the parser do not take the server down: a webhook in its own JVM with a
 * 128 MiB heap (a third of the pod's limit) and {@code -XX:+ExitOnOutOfMemoryError} takes three rounds
 * of 16 concurrent 3 MiB bodies of empty objects, and then still answers every valid review.
 */
class WebhookMemoryTest {

    private static final int ROUNDS = 3;
    private static final int CONCURRENT = 16;
    private Process process;

    @AfterEach
    void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    @Timeout(90)
    void threeRoundsOfSixteenConcurrentThreeMebibyteBodiesLeaveTheServerAnswering() throws Exception {
        process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:+ExitOnOutOfMemoryError", "-cp", testClassPath(), WebhookProcess.class.getName())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String[] started = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))
                .readLine().split(" ");
        int port = Integer.parseInt(started[0].substring("port=".length()));
        SSLContext trust;
        try (var in = Files.newInputStream(Path.of(started[1].substring("ca=".length())))) {
            trust = TestTls.trusting((X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        List<byte[]> hostileBodies = List.of(emptyObjectsInAnArray(), emptyObjectsInAReview(), nestedEmptyObjects());

        ExecutorService clients = Executors.newFixedThreadPool(CONCURRENT);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                List<Future<RawClient.Answer>> answers = new ArrayList<>();
                for (int i = 0; i < CONCURRENT; i++) {
                    byte[] body = hostileBodies.get((round + i) % hostileBodies.size());
                    answers.add(clients.submit(() -> RawClient.post(trust, port, "/mutate", body, Duration.ofSeconds(20))));
                }
                for (Future<RawClient.Answer> answer : answers) {
                    // 400 (limits on tokens or nesting) or 503 (body memory budget): anything but a crash.
                    assertThat(answer.get(30, TimeUnit.SECONDS).status()).isIn(400, 503);
                }
                assertThat(process.isAlive()).as("alive after round " + (round + 1)).isTrue();
            }
        } finally {
            clients.shutdownNow();
        }

        byte[] valid = bytes(dataVolumeReview());
        for (int i = 0; i < 20; i++) {
            assertThat(RawClient.post(trust, port, "/mutate", valid, Duration.ofSeconds(5)).status()).isEqualTo(200);
        }
        assertThat(process.isAlive()).isTrue();
    }

    /** {@code [{},{},...]}: about a million empty objects in 3 MiB. */
    static byte[] emptyObjectsInAnArray() {
        return fill("[", "{},", "{}]");
    }

    /** A well-formed AdmissionReview whose object holds about a million empty objects. */
    static byte[] emptyObjectsInAReview() {
        return fill("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"u\","
                + "\"operation\":\"CREATE\",\"object\":{\"items\":[", "{},", "{}]}}}");
    }

    /** {@code [[[[...]]]]} about 1.5 million deep. */
    static byte[] nestedEmptyObjects() {
        int depth = (MutateEndpoint.MAX_BODY_BYTES - 16) / 2;
        byte[] body = new byte[depth * 2];
        Arrays.fill(body, 0, depth, (byte) '[');
        Arrays.fill(body, depth, body.length, (byte) ']');
        return body;
    }

    private static byte[] fill(String start, String repeated, String end) {
        int count = (MutateEndpoint.MAX_BODY_BYTES - start.length() - end.length()) / repeated.length();
        return (start + repeated.repeat(count) + end).getBytes(StandardCharsets.US_ASCII);
    }

    /** Surefire runs tests from a manifest-only jar; it names the full class path in this property. */
    private static String testClassPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }
}
