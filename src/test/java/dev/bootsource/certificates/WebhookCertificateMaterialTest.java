package dev.bootsource.certificates;

import dev.bootsource.certificates.WebhookCertificateMaterial.Verdict;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebhookCertificateMaterialTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final List<String> NAMES = WebhookCertificateMaterial.serviceDnsNames("bootsource-webhook", "bootsource");

    @Test
    void aNewCertificateIsSignedByItsCaAndNamesTheService() throws Exception {
        WebhookCertificateMaterial material = WebhookCertificateMaterial.issue(NAMES, NOW);

        X509Certificate ca = WebhookCertificateMaterial.certificates(material.caBundle()).get(0);
        X509Certificate served = WebhookCertificateMaterial.certificates(material.certificate()).get(0);
        assertThatCode(() -> served.verify(ca.getPublicKey())).doesNotThrowAnyException();
        assertThat(ca.getBasicConstraints()).as("a CA").isGreaterThanOrEqualTo(0);
        assertThat(served.getBasicConstraints()).as("not a CA").isEqualTo(-1);
        assertThat(served.getSubjectAlternativeNames().stream().map(name -> String.valueOf(name.get(1))).toList())
                .contains("bootsource-webhook.bootsource.svc", "bootsource-webhook.bootsource.svc.cluster.local");
        assertThat(served.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1");
        assertThat(material.certificateNotAfter()).isEqualTo(NOW.plus(Duration.ofDays(365)));
        assertThat(material.verdict(NAMES, NOW)).isInstanceOf(Verdict.Keep.class);
    }

    @Test
    void aCertificateThirtyDaysFromExpiryIsRenewedFromTheSameCa() throws Exception {
        WebhookCertificateMaterial material = WebhookCertificateMaterial.issue(NAMES, NOW);
        Instant later = NOW.plus(Duration.ofDays(336));

        Verdict verdict = material.verdict(NAMES, later);
        WebhookCertificateMaterial renewed = material.next(verdict, NAMES, later);

        assertThat(verdict).isInstanceOf(Verdict.RenewCertificate.class);
        assertThat(renewed.caBundle()).as("the API server's trust stays").isEqualTo(material.caBundle());
        assertThat(renewed.certificate()).isNotEqualTo(material.certificate());
        assertThat(renewed.certificateNotAfter()).isEqualTo(later.plus(Duration.ofDays(365)));
        X509Certificate ca = WebhookCertificateMaterial.certificates(material.caBundle()).get(0);
        WebhookCertificateMaterial.certificates(renewed.certificate()).get(0).verify(ca.getPublicKey());
        assertThat(renewed.verdict(NAMES, later)).isInstanceOf(Verdict.Keep.class);
    }

    @Test
    void aCertificateForAnotherServiceIsRenewed() {
        WebhookCertificateMaterial material = WebhookCertificateMaterial.issue(NAMES, NOW);

        assertThat(material.verdict(WebhookCertificateMaterial.serviceDnsNames("other", "bootsource"), NOW))
                .isInstanceOf(Verdict.RenewCertificate.class);
    }

    @Test
    void aCaNearItsEndIsReplacedAndStaysInTheBundleUntilItExpires() {
        WebhookCertificateMaterial material = WebhookCertificateMaterial.issue(NAMES, NOW);
        Instant later = NOW.plus(Duration.ofDays(3650 - 300));

        Verdict verdict = material.verdict(NAMES, later);
        WebhookCertificateMaterial next = material.next(verdict, NAMES, later);

        assertThat(verdict).isInstanceOf(Verdict.NewAuthority.class);
        List<X509Certificate> bundle = WebhookCertificateMaterial.certificates(next.caBundle());
        assertThat(bundle).hasSize(2);
        assertThat(bundle.get(1)).isEqualTo(WebhookCertificateMaterial.certificates(material.caBundle()).get(0));
        assertThat(next.verdict(NAMES, later)).isInstanceOf(Verdict.Keep.class);
    }

    @Test
    void unreadableMaterialGetsANewCa() {
        WebhookCertificateMaterial broken = new WebhookCertificateMaterial("not a certificate", "x", "y", "z");

        assertThat(broken.verdict(NAMES, NOW)).isInstanceOf(Verdict.NewAuthority.class);
        assertThat(broken.next(broken.verdict(NAMES, NOW), NAMES, NOW).verdict(NAMES, NOW)).isInstanceOf(Verdict.Keep.class);
    }

    @Test
    void theCaSignsCertificatesOnlyAndTheServingCertificateServesOnlyItsNames() throws Exception {
        WebhookCertificateMaterial material = WebhookCertificateMaterial.issue(NAMES, NOW);

        X509Certificate ca = WebhookCertificateMaterial.certificates(material.caBundle()).get(0);
        X509Certificate served = WebhookCertificateMaterial.certificates(material.certificate()).get(0);
        assertThat(ca.getSubjectX500Principal()).isEqualTo(ca.getIssuerX500Principal());
        assertThat(ca.getBasicConstraints()).as("pathLenConstraint 0: no intermediate CAs").isZero();
        assertThat(ca.getKeyUsage()).as("keyCertSign and cRLSign only")
                .containsExactly(false, false, false, false, false, true, true, false, false);
        assertThat(ca.getCriticalExtensionOIDs()).containsExactlyInAnyOrder("2.5.29.19", "2.5.29.15");
        assertThat(served.getIssuerX500Principal()).isEqualTo(ca.getSubjectX500Principal());
        assertThat(served.getSubjectAlternativeNames().stream().<Object>map(name -> name.get(0)).toList()).as("DNS names only").containsOnly(2);
        assertThat(served.getSubjectAlternativeNames().stream().map(name -> String.valueOf(name.get(1))).toList())
                .containsExactlyElementsOf(NAMES);
        assertThat(served.getKeyUsage()[0]).as("digitalSignature").isTrue();
        assertThat(served.getKeyUsage()[5]).as("keyCertSign").isFalse();
        assertThat(served.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(served.getCriticalExtensionOIDs()).containsExactlyInAnyOrder("2.5.29.19", "2.5.29.15");
        assertThat(served.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(served.getNotBefore().toInstant()).isEqualTo(NOW.minus(Duration.ofHours(1)));
    }

    @Test
    void aTrustManagerWithTheBundleTrustsTheServingCertificateAndOneWithAnotherCaDoesNot() throws Exception {
        WebhookCertificateMaterial material = WebhookCertificateMaterial.issue(NAMES, Instant.now());
        WebhookCertificateMaterial other = WebhookCertificateMaterial.issue(NAMES, Instant.now());

        X509Certificate[] chain = WebhookCertificateMaterial.certificates(material.certificate()).toArray(X509Certificate[]::new);
        assertThatCode(() -> trusting(material.caBundle()).checkServerTrusted(chain, "ECDHE_ECDSA")).doesNotThrowAnyException();
        assertThatThrownBy(() -> trusting(other.caBundle()).checkServerTrusted(chain, "ECDHE_ECDSA"))
                .isInstanceOf(CertificateException.class);
    }

    @Test
    void theKeysAreWrittenAsPkcs8AndBelongToTheirCertificates() throws Exception {
        WebhookCertificateMaterial material = WebhookCertificateMaterial.issue(NAMES, NOW);

        assertThat(material.caKey()).startsWith("-----BEGIN PRIVATE KEY-----\n");
        assertThat(material.key()).startsWith("-----BEGIN PRIVATE KEY-----\n");
        assertThat(signs(material.caKey(), WebhookCertificateMaterial.certificates(material.caBundle()).get(0))).isTrue();
        assertThat(signs(material.key(), WebhookCertificateMaterial.certificates(material.certificate()).get(0))).isTrue();
    }

    @Test
    void opensslVerifiesTheServingCertificateAgainstTheBundle(@TempDir Path directory) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is installed");
        WebhookCertificateMaterial material = WebhookCertificateMaterial.issue(NAMES, Instant.now());
        Files.writeString(directory.resolve("ca.crt"), material.caBundle());
        Files.writeString(directory.resolve("tls.crt"), material.certificate());

        Process openssl = new ProcessBuilder("/usr/bin/openssl", "verify", "-purpose", "sslserver", "-CAfile", "ca.crt", "tls.crt")
                .directory(directory.toFile()).redirectErrorStream(true).start();
        String output = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(openssl.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(openssl.exitValue()).as(output).isZero();
        assertThat(output).isEqualTo("tls.crt: OK\n");
    }

    @ParameterizedTest(name = "keys as {0}")
    @EnumSource(EarlierReleaseMaterial.KeyForm.class)
    void materialWrittenWithBouncyCastleIsKeptAndRenewedFromTheSameCa(EarlierReleaseMaterial.KeyForm keyForm) throws Exception {
        WebhookCertificateMaterial earlier = EarlierReleaseMaterial.issue(NAMES, NOW, keyForm);
        Instant later = NOW.plus(Duration.ofDays(336));

        assertThat(earlier.verdict(NAMES, NOW)).isInstanceOf(Verdict.Keep.class);
        Verdict verdict = earlier.verdict(NAMES, later);
        WebhookCertificateMaterial renewed = earlier.next(verdict, NAMES, later);

        assertThat(verdict).isInstanceOf(Verdict.RenewCertificate.class);
        assertThat(renewed.caBundle()).as("the API server's trust stays").isEqualTo(earlier.caBundle());
        assertThat(renewed.caKey()).isEqualTo(earlier.caKey());
        X509Certificate ca = WebhookCertificateMaterial.certificates(earlier.caBundle()).get(0);
        X509Certificate served = WebhookCertificateMaterial.certificates(renewed.certificate()).get(0);
        assertThat(served.getIssuerX500Principal().getEncoded()).isEqualTo(ca.getSubjectX500Principal().getEncoded());
        assertThatCode(() -> served.verify(ca.getPublicKey())).doesNotThrowAnyException();
        assertThat(renewed.verdict(NAMES, later)).isInstanceOf(Verdict.Keep.class);
    }

    @Test
    void aCaKeyThatIsNoKeyGetsANewCa() throws Exception {
        WebhookCertificateMaterial earlier = EarlierReleaseMaterial.issue(NAMES, NOW, EarlierReleaseMaterial.KeyForm.PKCS8);
        WebhookCertificateMaterial broken = new WebhookCertificateMaterial(earlier.caBundle(), earlier.caBundle(),
                earlier.certificate(), earlier.key());

        assertThat(broken.verdict(NAMES, NOW)).isInstanceOf(Verdict.NewAuthority.class)
                .extracting(Verdict::reason).asString().contains("no PRIVATE KEY");
    }

    private static X509TrustManager trusting(String caBundle) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        List<X509Certificate> cas = WebhookCertificateMaterial.certificates(caBundle);
        for (int i = 0; i < cas.size(); i++) {
            trust.setCertificateEntry("ca-" + i, cas.get(i));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        return (X509TrustManager) factory.getTrustManagers()[0];
    }

    /** Whether the PEM key signs what the certificate's public key verifies. */
    private static boolean signs(String keyPem, X509Certificate certificate) throws Exception {
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(WebhookCertificateMaterial.privateKey(keyPem));
        signer.update(new byte[] {1, 2, 3});
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(certificate.getPublicKey());
        verifier.update(new byte[] {1, 2, 3});
        return verifier.verify(signer.sign());
    }
}
