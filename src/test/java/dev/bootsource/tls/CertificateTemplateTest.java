package dev.bootsource.tls;

import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.junit.jupiter.api.Test;

import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Certificates issued with the JDK alone: what they say, checked with the JDK and read back by BouncyCastle. */
class CertificateTemplateTest {

    private static final Instant NOW = Instant.now();
    private static final List<String> NAMES = List.of("bootsource-webhook.bootsource.svc", "bootsource-webhook");

    @Test
    void aCaCertificateIsSelfSignedForSigningCertificatesOnly() throws Exception {
        KeyPair key = KeyPairs.ecP256();

        X509Certificate ca = authority(key);

        assertThatCode(() -> ca.verify(key.getPublic())).doesNotThrowAnyException();
        assertThat(ca.getVersion()).isEqualTo(3);
        assertThat(ca.getSubjectX500Principal()).isEqualTo(ca.getIssuerX500Principal());
        assertThat(ca.getSubjectX500Principal().getName()).isEqualTo("O=BootSource,CN=Test CA");
        assertThat(ca.getBasicConstraints()).as("pathLenConstraint").isZero();
        assertThat(ca.getCriticalExtensionOIDs()).containsExactlyInAnyOrder("2.5.29.19", "2.5.29.15");
        assertThat(ca.getNonCriticalExtensionOIDs()).isEmpty();
        X509CertificateHolder read = new X509CertificateHolder(ca.getEncoded());
        BasicConstraints constraints = BasicConstraints.fromExtensions(read.getExtensions());
        assertThat(constraints.isCA()).isTrue();
        assertThat(constraints.getPathLenConstraint()).isZero();
        KeyUsage usage = KeyUsage.fromExtensions(read.getExtensions());
        assertThat(usage.hasUsages(KeyUsage.keyCertSign | KeyUsage.cRLSign)).isTrue();
        assertThat(usage.hasUsages(KeyUsage.digitalSignature)).isFalse();
        assertThat(usage.getEncoded()).as("DER: the unused bit counted").isEqualTo(new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign).getEncoded());
    }

    @Test
    void anEndpointCertificateSignedByTheCaCarriesItsNamesAndUsages() throws Exception {
        KeyPair caKey = KeyPairs.ecP256();
        X509Certificate ca = authority(caKey);
        KeyPair key = KeyPairs.ecP256();

        X509Certificate leaf = endpoint(key, new CertificateTemplate.TlsEndpoint(NAMES, List.of("10.96.0.10"), false))
                .signedBy(ca, caKey.getPrivate());

        assertThatCode(() -> leaf.verify(ca.getPublicKey())).doesNotThrowAnyException();
        assertThat(leaf.getIssuerX500Principal().getEncoded()).isEqualTo(ca.getSubjectX500Principal().getEncoded());
        assertThat(leaf.getPublicKey()).isEqualTo(key.getPublic());
        assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
        assertThat(leaf.getKeyUsage()[0]).as("digitalSignature").isTrue();
        assertThat(leaf.getKeyUsage()[5]).as("keyCertSign").isFalse();
        assertThat(leaf.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(leaf.getSubjectAlternativeNames()).containsExactly(
                List.of(CertificateTemplate.DNS_NAME, NAMES.get(0)), List.of(CertificateTemplate.DNS_NAME, NAMES.get(1)),
                List.of(CertificateTemplate.IP_ADDRESS, "10.96.0.10"));
        X509CertificateHolder read = new X509CertificateHolder(leaf.getEncoded());
        assertThat(BasicConstraints.fromExtensions(read.getExtensions()).isCA()).isFalse();
        assertThat(ExtendedKeyUsage.fromExtensions(read.getExtensions()).hasKeyPurposeId(KeyPurposeId.id_kp_serverAuth)).isTrue();
        assertThat(GeneralNames.fromExtensions(read.getExtensions(), org.bouncycastle.asn1.x509.Extension.subjectAlternativeName)
                .getNames()).extracting(GeneralName::getTagNo).containsExactly(GeneralName.dNSName, GeneralName.dNSName, GeneralName.iPAddress);
    }

    @Test
    void theJdksTrustManagerAndPathValidatorAcceptTheChainAndRefuseAnotherCa() throws Exception {
        KeyPair caKey = KeyPairs.ecP256();
        X509Certificate ca = authority(caKey);
        X509Certificate otherCa = authority(KeyPairs.ecP256());
        X509Certificate leaf = endpoint(KeyPairs.ecP256(), new CertificateTemplate.TlsEndpoint(NAMES, List.of(), false))
                .signedBy(ca, caKey.getPrivate());

        assertThatCode(() -> trusting(ca).checkServerTrusted(new X509Certificate[] {leaf}, "ECDHE_ECDSA")).doesNotThrowAnyException();
        assertThatThrownBy(() -> trusting(otherCa).checkServerTrusted(new X509Certificate[] {leaf}, "ECDHE_ECDSA"))
                .isInstanceOf(CertificateException.class);
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
        parameters.setRevocationEnabled(false);
        assertThatCode(() -> CertPathValidator.getInstance("PKIX")
                .validate(CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf)), parameters))
                .doesNotThrowAnyException();
    }

    @Test
    void aCertificateWithoutClientAuthIsNotTrustedAsAClient() throws Exception {
        KeyPair caKey = KeyPairs.ecP256();
        X509Certificate ca = authority(caKey);
        X509Certificate serverOnly = endpoint(KeyPairs.ecP256(), new CertificateTemplate.TlsEndpoint(NAMES, List.of(), false))
                .signedBy(ca, caKey.getPrivate());
        X509Certificate both = endpoint(KeyPairs.ecP256(), new CertificateTemplate.TlsEndpoint(NAMES, List.of(), true))
                .signedBy(ca, caKey.getPrivate());

        assertThat(both.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
        assertThatCode(() -> trusting(ca).checkClientTrusted(new X509Certificate[] {both}, "ECDHE_ECDSA")).doesNotThrowAnyException();
        assertThatThrownBy(() -> trusting(ca).checkClientTrusted(new X509Certificate[] {serverOnly}, "ECDHE_ECDSA"))
                .isInstanceOf(CertificateException.class);
    }

    @Test
    void anRsaCaSignsWithSha256WithRsaWhateverTheSubjectsKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair caKey = generator.generateKeyPair();
        X509Certificate ca = authority(caKey);

        X509Certificate leaf = endpoint(KeyPairs.ecP256(), new CertificateTemplate.TlsEndpoint(NAMES, List.of(), false))
                .signedBy(ca, caKey.getPrivate());

        assertThat(ca.getSigAlgName()).isEqualTo("SHA256withRSA");
        assertThat(leaf.getSigAlgName()).isEqualTo("SHA256withRSA");
        assertThat(leaf.getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThatCode(() -> leaf.verify(ca.getPublicKey())).doesNotThrowAnyException();
    }

    @Test
    void aKeyThatDoesNotMatchIsRefusedHereNotInAClient() {
        KeyPair key = KeyPairs.ecP256();
        CertificateTemplate template = endpoint(key, new CertificateTemplate.TlsEndpoint(NAMES, List.of(), false));

        assertThatThrownBy(() -> template.selfSigned(KeyPairs.ecP256().getPrivate()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("cannot make the certificate for CN=" + NAMES.get(0));
    }

    @Test
    void anIpAddressThatIsNoLiteralIsRefused() {
        KeyPair key = KeyPairs.ecP256();
        CertificateTemplate template = endpoint(key, new CertificateTemplate.TlsEndpoint(NAMES, List.of("example.org"), false));

        assertThatThrownBy(() -> template.selfSigned(key.getPrivate()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("example.org is not an IP address literal");
    }

    private static X509Certificate authority(KeyPair key) {
        return new CertificateTemplate("Test CA", "BootSource", key.getPublic(), NOW.minus(Duration.ofHours(1)),
                NOW.plus(Duration.ofDays(30)), new CertificateTemplate.Authority()).selfSigned(key.getPrivate());
    }

    private static CertificateTemplate endpoint(KeyPair key, CertificateTemplate.TlsEndpoint purpose) {
        return new CertificateTemplate(purpose.dnsNames().get(0), "BootSource", key.getPublic(), NOW.minus(Duration.ofHours(1)),
                NOW.plus(Duration.ofDays(7)), purpose);
    }

    private static X509TrustManager trusting(X509Certificate ca) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        return (X509TrustManager) factory.getTrustManagers()[0];
    }
}
