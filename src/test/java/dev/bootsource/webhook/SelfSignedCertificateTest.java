package dev.bootsource.webhook;

import dev.bootsource.tls.KeyPairs;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The webhook's throwaway certificate: what it says, for EC and RSA keys. */
class SelfSignedCertificateTest {

    @Test
    void theSelfSignedCertificateHasTheNamesUsagesAndValidityAsked() throws Exception {
        Instant notBefore = Instant.parse("2030-01-01T00:00:00Z");
        Instant notAfter = Instant.parse("2060-01-01T00:00:00Z");
        X509Certificate certificate = SelfSignedCertificate.generate(KeyPairs.ecP256(),
                List.of("bootsource-webhook.bootsource.svc", "localhost"), List.of("127.0.0.1", "::1"), notBefore, notAfter).certificate();

        assertThat(certificate.getVersion()).isEqualTo(3);
        assertThat(certificate.getSubjectX500Principal()).isEqualTo(certificate.getIssuerX500Principal());
        assertThat(certificate.getSubjectX500Principal().getName()).contains("CN=bootsource-webhook.bootsource.svc");
        assertThat(certificate.getSubjectAlternativeNames().stream().map(name -> String.valueOf(name.get(1))).toList())
                .containsExactly("bootsource-webhook.bootsource.svc", "localhost", "127.0.0.1", "0:0:0:0:0:0:0:1");
        assertThat(certificate.getBasicConstraints()).isEqualTo(-1);
        assertThat(certificate.getKeyUsage()[0]).as("digitalSignature").isTrue();
        assertThat(certificate.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
        assertThat(certificate.getCriticalExtensionOIDs()).containsExactlyInAnyOrder("2.5.29.19", "2.5.29.15");
        assertThat(certificate.getNotBefore().toInstant()).isEqualTo(notBefore);
        assertThat(certificate.getNotAfter().toInstant()).isEqualTo(notAfter);
        assertThat(certificate.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(certificate.getSerialNumber()).isPositive();
    }

    @Test
    void rsaKeysAreSignedWithSha256WithRsa() {
        ServerCredentials rsa = TestTls.rsaCertificate();

        assertThat(rsa.certificate().getSigAlgName()).isEqualTo("SHA256withRSA");
        assertThat(rsa.validityProblem(Instant.now())).isEmpty();
        assertThat(rsa.validityProblem(Instant.now().plus(Duration.ofDays(400)))).get().asString().contains("expired");
        assertThat(rsa.certificate().getSerialNumber()).isGreaterThan(BigInteger.ZERO);
    }
}
