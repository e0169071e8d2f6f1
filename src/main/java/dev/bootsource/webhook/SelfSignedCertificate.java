package dev.bootsource.webhook;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.stream.Stream;

/**
 * A throwaway EC P-256 key and self-signed certificate, for trying the webhook without a certificate
 * authority. The certificate is its own trust anchor: hand it to a client as the CA.
 */
final class SelfSignedCertificate {

    private static final Duration VALIDITY = Duration.ofDays(365);
    /** Tolerates a client clock somewhat behind ours. */
    private static final Duration BACKDATE = Duration.ofHours(1);

    private SelfSignedCertificate() {
    }

    /**
     * An EC P-256 key pair (fast handshakes) and its certificate.
     *
     * @param dnsNames    subject alternative names; the first is also the common name
     * @param ipAddresses subject alternative IP addresses
     */
    static ServerCredentials generate(List<String> dnsNames, List<String> ipAddresses) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            return generate(generator.generateKeyPair(), dnsNames, ipAddresses);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a key pair: " + e.getMessage(), e);
        }
    }

    /** A self-signed certificate for a given EC or RSA key pair. */
    static ServerCredentials generate(KeyPair keyPair, List<String> dnsNames, List<String> ipAddresses) {
        try {
            Instant now = Instant.now();
            X500Name subject = new X500Name("CN=" + dnsNames.get(0) + ",O=BootSource self-signed");
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                    new BigInteger(64, new SecureRandom()).abs().add(BigInteger.ONE),
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(VALIDITY)), subject, keyPair.getPublic());
            GeneralName[] names = Stream.concat(
                    dnsNames.stream().map(name -> new GeneralName(GeneralName.dNSName, name)),
                    ipAddresses.stream().map(ip -> new GeneralName(GeneralName.iPAddress, ip)))
                    .toArray(GeneralName[]::new);
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            var certificate = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(
                    "RSA".equals(keyPair.getPrivate().getAlgorithm()) ? "SHA256withRSA" : "SHA256withECDSA").build(keyPair.getPrivate())));
            return new ServerCredentials(keyPair.getPrivate(), List.of(certificate));
        } catch (CertificateException | OperatorCreationException | CertIOException e) {
            throw new IllegalStateException("cannot generate a self-signed certificate: " + e.getMessage(), e);
        }
    }
}
