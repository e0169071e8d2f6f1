package dev.bootsource.certificates;

import dev.bootsource.tls.KeyPairs;
import dev.bootsource.tls.ReferencePem;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.StringWriter;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * The Secret's material as BootSource wrote it while it issued certificates with BouncyCastle's
 * certificate builder: what an upgrade finds in the cluster and must keep using.
 */
final class EarlierReleaseMaterial {

    /** The form of the private keys. */
    enum KeyForm {
        /** {@code PRIVATE KEY} (PKCS#8), what it wrote. */
        PKCS8,
        /** {@code EC PRIVATE KEY} (SEC1), which it read as well. */
        SEC1
    }

    private EarlierReleaseMaterial() {
    }

    /** A CA valid for ten years and a serving certificate for a year, from an hour before {@code now}. */
    static WebhookCertificateMaterial issue(List<String> dnsNames, Instant now, KeyForm keyForm) throws Exception {
        KeyPair ca = KeyPairs.ecP256();
        X500Name caName = new X500Name("CN=BootSource webhook CA " + now.getEpochSecond() + ",O=BootSource");
        X509v3CertificateBuilder caBuilder = new JcaX509v3CertificateBuilder(caName, BigInteger.valueOf(7),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(3650))), caName, ca.getPublic());
        caBuilder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
        caBuilder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        X509Certificate caCertificate = sign(caBuilder, ca.getPrivate());

        KeyPair serving = KeyPairs.ecP256();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(X500Name.getInstance(
                caCertificate.getSubjectX500Principal().getEncoded()), BigInteger.valueOf(8),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(365))),
                new X500Name("CN=" + dnsNames.get(0)), serving.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(dnsNames.stream()
                .map(name -> new GeneralName(GeneralName.dNSName, name)).toArray(GeneralName[]::new)));
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        X509Certificate certificate = sign(builder, ca.getPrivate());

        return new WebhookCertificateMaterial(pem(caCertificate), key(ca, keyForm), pem(certificate), key(serving, keyForm));
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
    }

    private static String key(KeyPair pair, KeyForm form) {
        return form == KeyForm.PKCS8 ? ReferencePem.pkcs8(pair.getPrivate()) : ReferencePem.traditional(pair.getPrivate(), pair.getPublic());
    }

    private static String pem(X509Certificate certificate) throws Exception {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(certificate);
        }
        return text.toString();
    }
}
