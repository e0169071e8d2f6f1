package dev.bootsource.webhook;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLSession;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static dev.bootsource.policy.admission.AdmissionFixtures.POLICY;
import static dev.bootsource.policy.admission.AdmissionFixtures.gcpCluster;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** TLS material: files as a mounted Secret holds them, renewed while the server runs, or a self-signed pair. */
class TlsReloadTest {

    private static final Duration CHECK_INTERVAL = Duration.ofMillis(100);

    @TempDir
    Path secret;

    @Test
    void newConnectionsGetARenewedCertificateWithoutRestart() throws Exception {
        ServerCredentials first = TestTls.ecCertificate();
        ServerCredentials renewed = TestTls.rsaCertificate();
        Path certificate = secret.resolve("tls.crt");
        Path key = secret.resolve("tls.key");
        TestTls.writeCertificate(certificate, first);
        TestTls.writeKey(key, first, TestTls.KeyFormat.TRADITIONAL);

        try (WebhookServer server = WebhookServer.start(
                new WebhookServer.Settings(0, Optional.of(certificate), Optional.of(key)), gcpCluster(), POLICY, CHECK_INTERVAL)) {
            assertThat(servedSerial(server, first, renewed)).isEqualTo(serial(first));

            TestTls.writeCertificate(certificate, renewed);
            Thread.sleep(3 * CHECK_INTERVAL.toMillis());
            assertThat(servedSerial(server, first, renewed))
                    .as("a new certificate whose key has not arrived yet is not served")
                    .isEqualTo(serial(first));

            TestTls.writeKey(key, renewed, TestTls.KeyFormat.PKCS8);
            await().atMost(Duration.ofSeconds(5)).pollInterval(CHECK_INTERVAL)
                    .until(() -> servedSerial(server, first, renewed).equals(serial(renewed)));
        }
    }

    @Test
    void filesThatBreakAfterStartKeepTheLastGoodCertificate() throws Exception {
        ServerCredentials good = TestTls.ecCertificate();
        Path certificate = secret.resolve("tls.crt");
        Path key = secret.resolve("tls.key");
        TestTls.writeCertificate(certificate, good);
        TestTls.writeKey(key, good, TestTls.KeyFormat.PKCS8);

        try (WebhookServer server = WebhookServer.start(
                new WebhookServer.Settings(0, Optional.of(certificate), Optional.of(key)), gcpCluster(), POLICY, CHECK_INTERVAL)) {
            TestTls.write(certificate, "not a certificate");
            Thread.sleep(3 * CHECK_INTERVAL.toMillis());

            assertThat(servedSerial(server, good)).isEqualTo(serial(good));
        }
    }

    @Test
    void withoutFilesASelfSignedCertificateIsWrittenForClientsToTrust() throws Exception {
        try (WebhookServer server = WebhookServer.start(WebhookServer.Settings.selfSigned(0), gcpCluster(), POLICY)) {
            X509Certificate served = server.currentCredentials().certificate();
            assertThat(served.getSubjectAlternativeNames().stream().map(name -> String.valueOf(name.get(1)))).contains(
                    "localhost", "127.0.0.1", "bootsource-webhook.bootsource.svc", "bootsource-webhook.bootsource.svc.cluster.local");

            HttpClient client = TestTls.client(WebhookServerTest.trustingSelfSigned(server));
            for (String host : List.of("localhost", "127.0.0.1")) {
                HttpResponse<String> health = client.send(HttpRequest.newBuilder(
                        URI.create("https://" + host + ":" + server.port() + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).as(host).isEqualTo(200);
            }
        }
    }

    @Test
    void unusableFilesStopTheStartWithTheFileNamed() throws Exception {
        ServerCredentials one = TestTls.ecCertificate();
        ServerCredentials other = TestTls.ecCertificate();
        Path certificate = secret.resolve("tls.crt");
        Path key = secret.resolve("tls.key");
        TestTls.writeCertificate(certificate, one);
        TestTls.writeKey(key, other, TestTls.KeyFormat.PKCS8);

        assertThatThrownBy(() -> WebhookServer.start(new WebhookServer.Settings(0, Optional.of(certificate), Optional.of(key)),
                gcpCluster(), POLICY))
                .isInstanceOf(TlsMaterialException.class)
                .hasMessage(key + ": the private key does not belong to the certificate in " + certificate);
    }

    @Test
    void filesNotIssuedYetAreWaitedFor() throws Exception {
        ServerCredentials issued = TestTls.ecCertificate();
        Path certificate = secret.resolve("tls.crt");
        Path key = secret.resolve("tls.key");

        try (WebhookServer server = WebhookServer.start(
                new WebhookServer.Settings(0, Optional.of(certificate), Optional.of(key)), gcpCluster(), POLICY, CHECK_INTERVAL)) {
            X509Certificate interim = server.currentCredentials().certificate();
            assertThat(servedSerial(server, interim)).isEqualTo(interim.getSerialNumber());

            TestTls.writeKey(key, issued, TestTls.KeyFormat.PKCS8);
            TestTls.writeCertificate(certificate, issued);
            await().atMost(Duration.ofSeconds(5)).pollInterval(CHECK_INTERVAL)
                    .until(() -> servedSerial(server, issued).equals(serial(issued)));
        }
    }

    @Test
    void certificateAndKeyGoTogether() {
        assertThatThrownBy(() -> new WebhookServer.Settings(8443, Optional.of(Path.of("tls.crt")), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("give both the TLS certificate and key files, or neither");
    }

    /** The serial of the certificate a brand-new connection is served (a fresh context resumes no session). */
    private static BigInteger servedSerial(WebhookServer server, ServerCredentials... trusted) throws Exception {
        return servedSerial(server, Arrays.stream(trusted).map(ServerCredentials::certificate).toArray(X509Certificate[]::new));
    }

    private static BigInteger servedSerial(WebhookServer server, X509Certificate... trusted) throws Exception {
        HttpClient client = TestTls.client(TestTls.trusting(trusted));
        HttpResponse<String> health = client.send(HttpRequest.newBuilder(
                URI.create("https://localhost:" + server.port() + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
        SSLSession session = health.sslSession().orElseThrow();
        return ((X509Certificate) session.getPeerCertificates()[0]).getSerialNumber();
    }

    private static BigInteger serial(ServerCredentials credentials) {
        return credentials.certificate().getSerialNumber();
    }
}
