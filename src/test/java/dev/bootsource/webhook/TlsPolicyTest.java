package dev.bootsource.webhook;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.bootsource.tls.KeyPairs;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static dev.bootsource.policy.admission.AdmissionFixtures.POLICY;
import static dev.bootsource.policy.admission.AdmissionFixtures.bytes;
import static dev.bootsource.policy.admission.AdmissionFixtures.dataVolumeReview;
import static dev.bootsource.policy.admission.AdmissionFixtures.gcpCluster;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the webhook's TLS allows: TLS 1.3, TLS 1.2 with ECDHE and AEAD only; certificates out of their
 * validity are warned about and never replace a valid one; the served certificate's expiry is a
 * metric; a client CA makes client certificates mandatory.
 */
class TlsPolicyTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final WebhookServer.Tuning FAST_RELOAD = WebhookServer.Tuning.DEFAULT.withCertificateCheckInterval(Duration.ofMillis(100));

    @TempDir
    Path secret;

    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger keyManagerLogger = (Logger) LoggerFactory.getLogger(ReloadingKeyManager.class);
    private Level levelBefore;

    @BeforeEach
    void captureLog() {
        levelBefore = keyManagerLogger.getLevel();
        keyManagerLogger.setLevel(Level.INFO);
        keyManagerLogger.setAdditive(false);
        log.start();
        keyManagerLogger.addAppender(log);
    }

    @AfterEach
    void releaseLog() {
        keyManagerLogger.detachAppender(log);
        keyManagerLogger.setLevel(levelBefore);
        keyManagerLogger.setAdditive(true);
    }

    @Test
    void onlyTls13AndEcdheAeadSuitesAreOffered() {
        ReloadingKeyManager keys = ReloadingKeyManager.fixed(TestTls.ecCertificate());
        List<String> suites = TlsSettings.serverContext(keys, Optional.empty(), TestTls.ecCertificate().certificate()).cipherSuites();

        assertThat(suites).isNotEmpty().allMatch(suite -> suite.startsWith("TLS_AES_") || suite.startsWith("TLS_CHACHA20_")
                || suite.startsWith("TLS_ECDHE_") && (suite.contains("_GCM_") || suite.contains("_CHACHA20_POLY1305_")));
    }

    @Test
    void aTls12ClientWithCbcSuitesOnlyIsRefusedAndOneWithAnAeadSuiteIsServed() throws Exception {
        try (WebhookServer server = WebhookServer.start(WebhookServer.Settings.selfSigned(0), gcpCluster(), POLICY)) {
            SSLContext trust = WebhookServerTest.trustingSelfSigned(server);

            assertThatThrownBy(() -> handshake(trust, server.port(), "TLSv1.2",
                    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"))
                    .isInstanceOf(SSLException.class);
            assertThat(handshake(trust, server.port(), "TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"))
                    .isEqualTo("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
            assertThat(handshake(trust, server.port(), "TLSv1.3", "TLS_AES_256_GCM_SHA384")).isEqualTo("TLS_AES_256_GCM_SHA384");
        }
    }

    @Test
    void anExpiredCertificateAtTheStartIsServedWithAWarning() {
        ServerCredentials expired = certificate(Instant.now().minus(Duration.ofDays(30)), Instant.now().minus(Duration.ofDays(1)));
        Path certificate = secret.resolve("tls.crt");
        Path key = secret.resolve("tls.key");
        TestTls.writeCertificate(certificate, expired);
        TestTls.writeKey(key, expired, TestTls.KeyFormat.PKCS8);

        try (WebhookServer server = WebhookServer.start(new WebhookServer.Settings(0, Optional.of(certificate), Optional.of(key)),
                gcpCluster(), POLICY)) {
            assertThat(server.currentCredentials().certificate()).isEqualTo(expired.certificate());
            assertThat(warnings()).anyMatch(warning -> warning.contains("the certificate expired at"));
        }
    }

    @Test
    void anExpiredOrNotYetValidCertificateNeverReplacesAValidOne() throws Exception {
        ServerCredentials valid = TestTls.ecCertificate();
        Path certificate = secret.resolve("tls.crt");
        Path key = secret.resolve("tls.key");
        TestTls.writeCertificate(certificate, valid);
        TestTls.writeKey(key, valid, TestTls.KeyFormat.PKCS8);

        try (WebhookServer server = WebhookServer.start(new WebhookServer.Settings(0, Optional.of(certificate), Optional.of(key)),
                gcpCluster(), POLICY, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), FAST_RELOAD)) {
            for (ServerCredentials invalid : List.of(
                    certificate(Instant.now().minus(Duration.ofDays(30)), Instant.now().minus(Duration.ofDays(1))),
                    certificate(Instant.now().plus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30))))) {
                TestTls.writeCertificate(certificate, invalid);
                TestTls.writeKey(key, invalid, TestTls.KeyFormat.PKCS8);
                Thread.sleep(500);
                // A fresh client context: a resumed TLS session would not ask the server's key manager, which checks the files.
                SSLContext trust = TestTls.trusting(valid.certificate());
                RawClient.Answer answer = RawClient.post(trust, server.port(), "/mutate", bytes(dataVolumeReview()), TIMEOUT);

                assertThat(server.currentCredentials().certificate()).isEqualTo(valid.certificate());
                assertThat(answer.status()).isEqualTo(200);
            }
            assertThat(warnings()).anyMatch(warning -> warning.contains("keeping the current TLS certificate")
                    && warning.contains("the certificate expired at"));
            assertThat(warnings()).anyMatch(warning -> warning.contains("the certificate is not valid before"));
        }
    }

    @Test
    void theServedCertificatesExpiryIsAMetric() {
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (WebhookServer server = WebhookServer.start(WebhookServer.Settings.selfSigned(0), gcpCluster(), POLICY, metrics)) {
            long notAfter = server.currentCredentials().certificate().getNotAfter().getTime() / 1000;

            assertThat(metrics.scrape()).contains("# TYPE bootsource_webhook_certificate_expiry_timestamp_seconds gauge");
            assertThat(metrics.get(AdmissionMetrics.CERTIFICATE_EXPIRY).gauge().value()).isEqualTo(notAfter);
        }
    }

    @Test
    void withAClientCaEveryClientMustShowACertificateItSigned() throws Exception {
        ServerCredentials apiServer = TestTls.ecCertificate();
        Path clientCa = secret.resolve("client-ca.crt");
        TestTls.writeCertificate(clientCa, apiServer);
        try (WebhookServer server = WebhookServer.start(WebhookServer.Settings.selfSigned(0).withClientCa(Optional.of(clientCa)),
                gcpCluster(), POLICY, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                WebhookServer.Tuning.DEFAULT.withProbe(new SelfProbe.Timing(Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofSeconds(3))))) {
            SSLContext anonymous = WebhookServerTest.trustingSelfSigned(server);
            SSLContext stranger = TestTls.withClientCertificate(WebhookServerTest.trustingSelfSigned(server), TestTls.ecCertificate(),
                    server.selfSignedCertificateFile().orElseThrow());
            SSLContext known = TestTls.withClientCertificate(WebhookServerTest.trustingSelfSigned(server), apiServer,
                    server.selfSignedCertificateFile().orElseThrow());

            assertThat(RawClient.post(anonymous, server.port(), "/mutate", bytes(dataVolumeReview()), TIMEOUT).status()).isZero();
            assertThat(RawClient.post(stranger, server.port(), "/mutate", bytes(dataVolumeReview()), TIMEOUT).status()).isZero();
            assertThat(RawClient.post(known, server.port(), "/mutate", bytes(dataVolumeReview()), TIMEOUT).status()).isEqualTo(200);
            Thread.sleep(1500);
            assertThat(server.livenessProblem()).as("the self-probe gets through with its own certificate").isEmpty();
        }
    }

    private List<String> warnings() {
        return log.list.stream().filter(event -> event.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage).toList();
    }

    private static ServerCredentials certificate(Instant notBefore, Instant notAfter) {
        KeyPair pair = KeyPairs.ecP256();
        return SelfSignedCertificate.generate(pair, List.of("localhost"), List.of("127.0.0.1"), notBefore, notAfter);
    }

    /** The suite a handshake with only these protocol and suites agreed on. */
    private static String handshake(SSLContext context, int port, String protocol, String... suites) throws Exception {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout(5000);
            socket.setEnabledProtocols(new String[] {protocol});
            socket.setEnabledCipherSuites(suites);
            socket.startHandshake();
            return socket.getSession().getCipherSuite();
        }
    }
}
