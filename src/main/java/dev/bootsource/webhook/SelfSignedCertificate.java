package dev.bootsource.webhook;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A throwaway EC P-256 key and self-signed certificate, for trying the webhook without a certificate
 * authority. The certificate is its own trust anchor: hand it to a client as the CA.
 *
 * <p>The JDK signs but has no public API to build a certificate, so the few DER structures of one
 * X.509 v3 certificate (RFC 5280) are written here with {@link Der}: subject and issuer
 * {@code CN=<first DNS name>, O=BootSource self-signed}, the DNS names and IP addresses as subject
 * alternative names, {@code basicConstraints cA=false} and {@code keyUsage digitalSignature}
 * (both critical), and {@code extendedKeyUsage serverAuth}. The JDK's certificate factory parses the
 * result back, so a malformed certificate fails here, not in a client.
 */
final class SelfSignedCertificate {

    private static final Duration VALIDITY = Duration.ofDays(365);
    /** Tolerates a client clock somewhat behind ours. */
    private static final Duration BACKDATE = Duration.ofHours(1);

    private static final String ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
    private static final String SHA256_WITH_RSA = "1.2.840.113549.1.1.11";
    private static final String COMMON_NAME = "2.5.4.3";
    private static final String ORGANIZATION = "2.5.4.10";
    private static final String SUBJECT_ALTERNATIVE_NAME = "2.5.29.17";
    private static final String BASIC_CONSTRAINTS = "2.5.29.19";
    private static final String KEY_USAGE = "2.5.29.15";
    private static final String EXTENDED_KEY_USAGE = "2.5.29.37";
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    private SelfSignedCertificate() {
    }

    /**
     * An EC P-256 key pair (fast handshakes) and its certificate.
     *
     * @param dnsNames    subject alternative names; the first is also the common name
     * @param ipAddresses subject alternative IP addresses, as literals
     */
    static ServerCredentials generate(List<String> dnsNames, List<String> ipAddresses) {
        return generate(ecKeyPair(), dnsNames, ipAddresses);
    }

    /** A self-signed certificate for a given EC or RSA key pair, valid from an hour ago for a year. */
    static ServerCredentials generate(KeyPair keyPair, List<String> dnsNames, List<String> ipAddresses) {
        Instant now = Instant.now();
        return generate(keyPair, dnsNames, ipAddresses, now.minus(BACKDATE), now.plus(VALIDITY));
    }

    /** As {@link #generate(KeyPair, List, List)}, valid from {@code notBefore} to {@code notAfter}. */
    static ServerCredentials generate(KeyPair keyPair, List<String> dnsNames, List<String> ipAddresses,
                                      Instant notBefore, Instant notAfter) {
        boolean rsa = "RSA".equals(keyPair.getPrivate().getAlgorithm());
        byte[] signatureAlgorithm = rsa
                ? Der.sequence(Der.oid(SHA256_WITH_RSA), Der.nullValue())
                : Der.sequence(Der.oid(ECDSA_WITH_SHA256));
        byte[] name = Der.sequence(
                Der.set(Der.sequence(Der.oid(COMMON_NAME), Der.utf8String(dnsNames.get(0)))),
                Der.set(Der.sequence(Der.oid(ORGANIZATION), Der.utf8String("BootSource self-signed"))));
        byte[] tbs = Der.sequence(
                Der.explicit(0, Der.integer(2)),
                Der.integer(new BigInteger(64, new SecureRandom()).add(BigInteger.ONE)),
                signatureAlgorithm,
                name,
                Der.sequence(Der.time(notBefore), Der.time(notAfter)),
                name,
                keyPair.getPublic().getEncoded(),
                Der.explicit(3, Der.sequence(
                        extension(SUBJECT_ALTERNATIVE_NAME, false, alternativeNames(dnsNames, ipAddresses)),
                        extension(BASIC_CONSTRAINTS, true, Der.sequence()),
                        extension(KEY_USAGE, true, Der.bitString(new byte[] {(byte) 0x80}, 7)),
                        extension(EXTENDED_KEY_USAGE, false, Der.sequence(Der.oid(SERVER_AUTH), Der.oid(CLIENT_AUTH))))));
        try {
            Signature signer = Signature.getInstance(rsa ? "SHA256withRSA" : "SHA256withECDSA");
            signer.initSign(keyPair.getPrivate());
            signer.update(tbs);
            byte[] certificate = Der.sequence(tbs, signatureAlgorithm, Der.bitString(signer.sign(), 0));
            X509Certificate parsed = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(certificate));
            parsed.verify(keyPair.getPublic());
            return new ServerCredentials(keyPair.getPrivate(), List.of(parsed));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a self-signed certificate: " + e.getMessage(), e);
        }
    }

    static KeyPair ecKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a key pair: " + e.getMessage(), e);
        }
    }

    private static byte[] extension(String oid, boolean critical, byte[] value) {
        return critical
                ? Der.sequence(Der.oid(oid), Der.bool(true), Der.octetString(value))
                : Der.sequence(Der.oid(oid), Der.octetString(value));
    }

    /** GeneralNames: {@code [2] dNSName} (IA5String) and {@code [7] iPAddress} (4 or 16 bytes). */
    private static byte[] alternativeNames(List<String> dnsNames, List<String> ipAddresses) {
        List<byte[]> names = new ArrayList<>();
        dnsNames.forEach(dns -> names.add(Der.implicit(2, dns.getBytes(StandardCharsets.US_ASCII))));
        for (String ip : ipAddresses) {
            if (!ip.matches("[0-9a-fA-F.:]+")) {
                throw new IllegalArgumentException(ip + " is not an IP address literal");
            }
            try {
                names.add(Der.implicit(7, InetAddress.getByName(ip).getAddress()));
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(ip + " is not an IP address literal", e);
            }
        }
        return Der.sequence(names.toArray(byte[][]::new));
    }
}
