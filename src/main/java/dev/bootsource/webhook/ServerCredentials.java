package dev.bootsource.webhook;

import dev.bootsource.tls.Pem;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The server's private key and certificate chain (leaf first), read from PEM as a Kubernetes TLS
 * Secret holds them: {@code tls.crt} with one or more CERTIFICATE blocks, {@code tls.key} as PKCS#8
 * ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY}). Read with the
 * JDK alone ({@link Pem}): PKCS#1 and SEC1 keys are wrapped into PKCS#8, which the JDK's key factories take.
 */
record ServerCredentials(PrivateKey privateKey, List<X509Certificate> chain) {

    ServerCredentials {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a certificate chain needs at least one certificate");
        }
    }

    X509Certificate certificate() {
        return chain.get(0);
    }

    /**
     * @param certificateSource what to call the certificate in errors, e.g. its file
     * @param keySource         what to call the key in errors
     * @throws TlsMaterialException when either cannot be read or the key does not belong to the certificate
     */
    static ServerCredentials fromPem(byte[] certificatePem, byte[] keyPem, String certificateSource, String keySource) {
        List<X509Certificate> chain = readCertificates(certificatePem, certificateSource);
        PrivateKey key = readPrivateKey(keyPem, keySource);
        if (!belongTogether(key, chain.get(0).getPublicKey())) {
            throw new TlsMaterialException(keySource + ": the private key does not belong to the certificate in "
                    + certificateSource);
        }
        return new ServerCredentials(key, chain);
    }

    String certificatePem() {
        return Pem.write(chain);
    }

    /** Whether the leaf certificate is valid at {@code now}; if not, why (expired, or not yet valid). */
    Optional<String> validityProblem(Instant now) {
        Instant notBefore = certificate().getNotBefore().toInstant();
        Instant notAfter = certificate().getNotAfter().toInstant();
        if (now.isAfter(notAfter)) {
            return Optional.of("the certificate expired at " + notAfter);
        }
        if (now.isBefore(notBefore)) {
            return Optional.of("the certificate is not valid before " + notBefore);
        }
        return Optional.empty();
    }

    /** "CN=..., serial ..., valid until ..." for logs. */
    String describe() {
        X509Certificate certificate = certificate();
        return certificate.getSubjectX500Principal().getName() + ", serial " + certificate.getSerialNumber().toString(16)
                + ", valid until " + certificate.getNotAfter().toInstant();
    }

    private static List<X509Certificate> readCertificates(byte[] pem, String source) {
        List<X509Certificate> chain;
        try {
            chain = Pem.certificates(pem);
        } catch (IllegalArgumentException e) {
            throw new TlsMaterialException(source + ": " + e.getMessage(), e);
        }
        if (chain.isEmpty()) {
            throw new TlsMaterialException(source + ": no CERTIFICATE block found");
        }
        return chain;
    }

    private static PrivateKey readPrivateKey(byte[] pem, String source) {
        try {
            return Pem.privateKey(pem);
        } catch (IllegalArgumentException e) {
            throw new TlsMaterialException(source + ": " + e.getMessage(), e);
        }
    }

    /** Signs a random challenge with the key and checks it with the certificate's public key. */
    private static boolean belongTogether(PrivateKey privateKey, PublicKey publicKey) {
        if (!privateKey.getAlgorithm().equals(publicKey.getAlgorithm())) {
            return false;
        }
        String algorithm = switch (privateKey.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> privateKey.getAlgorithm();
        };
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(privateKey);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
