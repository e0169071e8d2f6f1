package dev.bootsource.tls;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;

/** New key pairs for the certificates BootSource makes. */
public final class KeyPairs {

    private KeyPairs() {
    }

    /** An EC P-256 key pair: small certificates and fast handshakes, and every TLS client takes it. */
    public static KeyPair ecP256() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a key pair: " + e.getMessage(), e);
        }
    }
}
