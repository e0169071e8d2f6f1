package dev.bootsource.tls;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.util.io.pem.PemObject;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.PrivateKey;
import java.security.PublicKey;

/**
 * Private keys as PEM, written by BouncyCastle (a test dependency only): the reference the JDK-only
 * reader is checked against, in the forms cert-manager, openssl, Go and earlier BootSource releases write.
 */
public final class ReferencePem {

    private ReferencePem() {
    }

    /** {@code PRIVATE KEY} (PKCS#8): what cert-manager writes by default for ECDSA and openssl genpkey writes. */
    public static String pkcs8(PrivateKey key) {
        try {
            return write(new JcaPKCS8Generator(key, null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code RSA PRIVATE KEY} (PKCS#1) or {@code EC PRIVATE KEY} (SEC1); SEC1 as openssl and Go write it,
     * with the curve and the public key inside.
     */
    public static String traditional(PrivateKey key, PublicKey publicKey) {
        if (!"EC".equals(key.getAlgorithm())) {
            return write(key);
        }
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
        try {
            ECPrivateKey bare = ECPrivateKey.getInstance(info.parsePrivateKey());
            SubjectPublicKeyInfo subjectPublicKey = SubjectPublicKeyInfo.getInstance(publicKey.getEncoded());
            ECPrivateKey full = new ECPrivateKey(256, bare.getKey(), subjectPublicKey.getPublicKeyData(),
                    info.getPrivateKeyAlgorithm().getParameters());
            return write(new PemObject("EC PRIVATE KEY", full.getEncoded()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String write(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
