package dev.bootsource.webhook;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * The server's private key and certificate chain (leaf first), read from PEM as a Kubernetes TLS
 * Secret holds them: {@code tls.crt} with one or more CERTIFICATE blocks, {@code tls.key} as PKCS#8
 * ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY}).
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
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            for (X509Certificate certificate : chain) {
                writer.writeObject(certificate);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot write PEM", e);
        }
        return out.toString();
    }

    /** "CN=..., serial ..., valid until ..." for logs. */
    String describe() {
        X509Certificate certificate = certificate();
        return certificate.getSubjectX500Principal().getName() + ", serial " + certificate.getSerialNumber().toString(16)
                + ", valid until " + certificate.getNotAfter().toInstant();
    }

    private static List<X509Certificate> readCertificates(byte[] pem, String source) {
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        List<X509Certificate> chain = new ArrayList<>();
        try (PEMParser parser = parser(pem)) {
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                if (object instanceof X509CertificateHolder holder) {
                    chain.add(converter.getCertificate(holder));
                }
            }
        } catch (IOException | CertificateException | RuntimeException e) {
            throw new TlsMaterialException(source + ": not a PEM certificate: " + message(e), e);
        }
        if (chain.isEmpty()) {
            throw new TlsMaterialException(source + ": no CERTIFICATE block found");
        }
        return chain;
    }

    private static PrivateKey readPrivateKey(byte[] pem, String source) {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (PEMParser parser = parser(pem)) {
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                if (object instanceof PEMKeyPair pair) {
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
                if (object instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (object instanceof PEMEncryptedKeyPair || object instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw new TlsMaterialException(source + ": the private key is encrypted; give it unencrypted, "
                            + "as a Kubernetes TLS Secret holds it");
                }
            }
        } catch (TlsMaterialException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new TlsMaterialException(source + ": not a PEM private key: " + message(e), e);
        }
        throw new TlsMaterialException(source + ": no PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY block found");
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

    private static PEMParser parser(byte[] pem) {
        return new PEMParser(new StringReader(new String(pem, StandardCharsets.US_ASCII)));
    }

    private static String message(Exception e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message.lines().findFirst().orElse("");
    }
}
