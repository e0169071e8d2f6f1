package dev.bootsource.webhook;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The server's private key and certificate chain (leaf first), read from PEM as a Kubernetes TLS
 * Secret holds them: {@code tls.crt} with one or more CERTIFICATE blocks, {@code tls.key} as PKCS#8
 * ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY}). Read with the
 * JDK alone: PKCS#1 and SEC1 keys are wrapped into PKCS#8, which the JDK's key factories take.
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
        StringBuilder pem = new StringBuilder();
        for (X509Certificate certificate : chain) {
            try {
                pem.append(Pem.write("CERTIFICATE", certificate.getEncoded()));
            } catch (CertificateException e) {
                throw new IllegalStateException("cannot encode a certificate", e);
            }
        }
        return pem.toString();
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
        List<X509Certificate> chain = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Pem.Block block : Pem.read(pem)) {
                if (block.type().equals("CERTIFICATE")) {
                    chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
                }
            }
        } catch (CertificateException | RuntimeException e) {
            throw new TlsMaterialException(source + ": not a PEM certificate: " + message(e), e);
        }
        if (chain.isEmpty()) {
            throw new TlsMaterialException(source + ": no CERTIFICATE block found");
        }
        return chain;
    }

    private static PrivateKey readPrivateKey(byte[] pem, String source) {
        List<Pem.Block> blocks;
        try {
            blocks = Pem.read(pem);
        } catch (RuntimeException e) {
            throw new TlsMaterialException(source + ": not a PEM private key: " + message(e), e);
        }
        Optional<String> ecParameters = Optional.empty();
        for (Pem.Block block : blocks) {
            if (block.encrypted() || block.type().equals("ENCRYPTED PRIVATE KEY")) {
                throw new TlsMaterialException(source + ": the private key is encrypted; give it unencrypted, "
                        + "as a Kubernetes TLS Secret holds it");
            }
            try {
                switch (block.type()) {
                    case "EC PARAMETERS" -> ecParameters = Optional.of(Der.read(block.der()).oid());
                    case "PRIVATE KEY" -> {
                        return pkcs8(block.der());
                    }
                    case "RSA PRIVATE KEY" -> {
                        return pkcs8(PrivateKeys.pkcs8FromPkcs1(block.der()));
                    }
                    case "EC PRIVATE KEY" -> {
                        return pkcs8(PrivateKeys.pkcs8FromSec1(block.der(), ecParameters));
                    }
                    default -> {
                        // certificates and other blocks beside the key
                    }
                }
            } catch (GeneralSecurityException | RuntimeException e) {
                throw new TlsMaterialException(source + ": not a PEM private key: " + message(e), e);
            }
        }
        throw new TlsMaterialException(source + ": no PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY block found");
    }

    /** A PKCS#8 key of whichever algorithm its AlgorithmIdentifier names. */
    private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
        String algorithm = PrivateKeys.algorithm(der);
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
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

    private static String message(Exception e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message.lines().findFirst().orElse("");
    }
}
