package dev.bootsource.certificates;

import dev.bootsource.certificates.WebhookCertificateMaterial.Verdict;
import org.junit.jupiter.api.Test;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

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
}
