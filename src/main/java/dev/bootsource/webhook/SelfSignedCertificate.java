package dev.bootsource.webhook;

import dev.bootsource.tls.CertificateTemplate;
import dev.bootsource.tls.KeyPairs;

import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A throwaway EC P-256 key and self-signed certificate, for trying the webhook without a certificate
 * authority. The certificate is its own trust anchor: hand it to a client as the CA.
 *
 * <p>Subject and issuer {@code CN=<first DNS name>, O=BootSource self-signed}, the DNS names and IP
 * addresses as subject alternative names, {@code basicConstraints cA=false} and
 * {@code keyUsage digitalSignature} (both critical), and {@code extendedKeyUsage serverAuth, clientAuth}
 * ({@link CertificateTemplate.TlsEndpoint}).
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
     * @param ipAddresses subject alternative IP addresses, as literals
     */
    static ServerCredentials generate(List<String> dnsNames, List<String> ipAddresses) {
        return generate(KeyPairs.ecP256(), dnsNames, ipAddresses);
    }

    /** A self-signed certificate for a given EC or RSA key pair, valid from an hour ago for a year. */
    static ServerCredentials generate(KeyPair keyPair, List<String> dnsNames, List<String> ipAddresses) {
        Instant now = Instant.now();
        return generate(keyPair, dnsNames, ipAddresses, now.minus(BACKDATE), now.plus(VALIDITY));
    }

    /** As {@link #generate(KeyPair, List, List)}, valid from {@code notBefore} to {@code notAfter}. */
    static ServerCredentials generate(KeyPair keyPair, List<String> dnsNames, List<String> ipAddresses,
                                      Instant notBefore, Instant notAfter) {
        CertificateTemplate template = new CertificateTemplate(dnsNames.get(0), "BootSource self-signed", keyPair.getPublic(),
                notBefore, notAfter, new CertificateTemplate.TlsEndpoint(dnsNames, ipAddresses, true));
        return new ServerCredentials(keyPair.getPrivate(), List.of(template.selfSigned(keyPair.getPrivate())));
    }
}
