package dev.bootsource.tls;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One X.509 v3 certificate (RFC 5280) before it is signed: its subject, key, validity and what it is
 * for, which decides its extensions. {@link #selfSigned} and {@link #signedBy} make the certificate.
 *
 * <p>The JDK signs but has no public API to build a certificate, so the few DER structures of one are
 * written here with {@link Der}: a random positive 64-bit serial, the subject {@code CN=..., O=...},
 * the issuer as the signing certificate's subject exactly as it is encoded there (so a chain links by
 * name), and the extensions of the {@link Purpose}. EC keys sign with {@code SHA256withECDSA}, RSA keys
 * with {@code SHA256withRSA}. The JDK's certificate factory parses the result back and the signature is
 * checked with the issuer's public key, so a malformed certificate fails here, not in a client.
 *
 * @param commonName   the subject's common name
 * @param organization the subject's organization
 * @param publicKey    the subject's public key
 * @param notBefore    valid from
 * @param notAfter     valid until
 * @param purpose      a CA or a TLS endpoint
 */
public record CertificateTemplate(String commonName, String organization, PublicKey publicKey, Instant notBefore,
                                  Instant notAfter, Purpose purpose) {

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

    /** {@code GeneralName} choice {@code [2] dNSName}, as {@link X509Certificate#getSubjectAlternativeNames} numbers it. */
    public static final int DNS_NAME = 2;
    /** {@code GeneralName} choice {@code [7] iPAddress}. */
    public static final int IP_ADDRESS = 7;

    /** What a certificate may be used for. */
    public sealed interface Purpose permits Authority, TlsEndpoint {
    }

    /**
     * A CA that signs end-entity certificates and nothing else: {@code basicConstraints cA=true,
     * pathLenConstraint=0} and {@code keyUsage keyCertSign, cRLSign}, both critical.
     */
    public record Authority() implements Purpose {
    }

    /**
     * A TLS endpoint: its DNS names and IP addresses as subject alternative names,
     * {@code basicConstraints cA=false} and {@code keyUsage digitalSignature} (both critical), and
     * {@code extendedKeyUsage serverAuth}, with {@code clientAuth} when asked.
     *
     * @param ipAddresses IP address literals
     */
    public record TlsEndpoint(List<String> dnsNames, List<String> ipAddresses, boolean clientAuth) implements Purpose {
        public TlsEndpoint {
            dnsNames = List.copyOf(dnsNames);
            ipAddresses = List.copyOf(ipAddresses);
        }
    }

    public CertificateTemplate {
        Objects.requireNonNull(commonName, "commonName");
        Objects.requireNonNull(organization, "organization");
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(notAfter, "notAfter");
        Objects.requireNonNull(purpose, "purpose");
    }

    /** Signed with the private key of {@link #publicKey}: issuer and subject are the same. */
    public X509Certificate selfSigned(PrivateKey key) {
        return sign(subjectName(), key, publicKey);
    }

    /** Signed by {@code issuer}, a CA, with its private key. */
    public X509Certificate signedBy(X509Certificate issuer, PrivateKey issuerKey) {
        return sign(issuer.getSubjectX500Principal().getEncoded(), issuerKey, issuer.getPublicKey());
    }

    private X509Certificate sign(byte[] issuerName, PrivateKey signingKey, PublicKey verifyingKey) {
        String algorithm = switch (signingKey.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            default -> throw new IllegalArgumentException("cannot sign a certificate with a " + signingKey.getAlgorithm() + " key");
        };
        byte[] signatureAlgorithm = algorithm.equals("SHA256withRSA")
                ? Der.sequence(Der.oid(SHA256_WITH_RSA), Der.nullValue())
                : Der.sequence(Der.oid(ECDSA_WITH_SHA256));
        byte[] tbs = Der.sequence(
                Der.explicit(0, Der.integer(2)),
                Der.integer(new BigInteger(64, new SecureRandom()).add(BigInteger.ONE)),
                signatureAlgorithm,
                issuerName,
                Der.sequence(Der.time(notBefore), Der.time(notAfter)),
                subjectName(),
                publicKey.getEncoded(),
                Der.explicit(3, Der.sequence(extensions())));
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(signingKey);
            signer.update(tbs);
            byte[] certificate = Der.sequence(tbs, signatureAlgorithm, Der.bitString(signer.sign(), 0));
            X509Certificate parsed = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(certificate));
            parsed.verify(verifyingKey);
            return parsed;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make the certificate for CN=" + commonName + ": " + e.getMessage(), e);
        }
    }

    private byte[] subjectName() {
        return Der.sequence(
                Der.set(Der.sequence(Der.oid(COMMON_NAME), Der.utf8String(commonName))),
                Der.set(Der.sequence(Der.oid(ORGANIZATION), Der.utf8String(organization))));
    }

    private byte[][] extensions() {
        if (purpose instanceof TlsEndpoint endpoint) {
            byte[] usages = endpoint.clientAuth()
                    ? Der.sequence(Der.oid(SERVER_AUTH), Der.oid(CLIENT_AUTH))
                    : Der.sequence(Der.oid(SERVER_AUTH));
            return new byte[][] {
                    extension(SUBJECT_ALTERNATIVE_NAME, false, alternativeNames(endpoint)),
                    extension(BASIC_CONSTRAINTS, true, Der.sequence()),
                    extension(KEY_USAGE, true, Der.bitString(new byte[] {(byte) 0x80}, 7)), // digitalSignature (bit 0)
                    extension(EXTENDED_KEY_USAGE, false, usages)};
        }
        return new byte[][] {
                extension(BASIC_CONSTRAINTS, true, Der.sequence(Der.bool(true), Der.integer(0))),
                extension(KEY_USAGE, true, Der.bitString(new byte[] {(byte) 0x06}, 1))}; // keyCertSign (5), cRLSign (6)
    }

    private static byte[] extension(String oid, boolean critical, byte[] value) {
        return critical
                ? Der.sequence(Der.oid(oid), Der.bool(true), Der.octetString(value))
                : Der.sequence(Der.oid(oid), Der.octetString(value));
    }

    /** GeneralNames: {@code [2] dNSName} (IA5String) and {@code [7] iPAddress} (4 or 16 bytes). */
    private static byte[] alternativeNames(TlsEndpoint endpoint) {
        List<byte[]> names = new ArrayList<>();
        endpoint.dnsNames().forEach(dns -> names.add(Der.implicit(DNS_NAME, dns.getBytes(StandardCharsets.US_ASCII))));
        for (String ip : endpoint.ipAddresses()) {
            if (!ip.matches("[0-9a-fA-F.:]+")) {
                throw new IllegalArgumentException(ip + " is not an IP address literal");
            }
            try {
                names.add(Der.implicit(IP_ADDRESS, InetAddress.getByName(ip).getAddress()));
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(ip + " is not an IP address literal", e);
            }
        }
        return Der.sequence(names.toArray(byte[][]::new));
    }
}
