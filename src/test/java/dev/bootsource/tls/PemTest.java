package dev.bootsource.tls;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** PEM certificates and private keys, read and written with the JDK alone; keys in every form BouncyCastle writes. */
class PemTest {

    private static final KeyPair EC = KeyPairs.ecP256();
    private static final KeyPair RSA = rsa();

    @ParameterizedTest(name = "{0} key as PKCS#8")
    @ValueSource(strings = {"EC", "RSA"})
    void readsPkcs8Keys(String algorithm) throws Exception {
        KeyPair pair = pair(algorithm);

        PrivateKey read = Pem.privateKey(bytes(ReferencePem.pkcs8(pair.getPrivate())));

        assertThat(read.getAlgorithm()).isEqualTo(algorithm);
        assertThat(signsFor(read, pair.getPublic())).isTrue();
    }

    @ParameterizedTest(name = "{0} key as PKCS#1 or SEC1")
    @ValueSource(strings = {"EC", "RSA"})
    void readsTraditionalKeys(String algorithm) throws Exception {
        KeyPair pair = pair(algorithm);
        String pem = ReferencePem.traditional(pair.getPrivate(), pair.getPublic());

        PrivateKey read = Pem.privateKey(bytes(pem));

        assertThat(pem).startsWith("-----BEGIN " + algorithm + " PRIVATE KEY-----");
        assertThat(read.getAlgorithm()).isEqualTo(algorithm);
        assertThat(signsFor(read, pair.getPublic())).isTrue();
    }

    @Test
    void writesPkcs8ThatBouncyCastleReadsAndItselfReadsBack() throws Exception {
        String pem = Pem.write(EC.getPrivate());

        assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("-----END PRIVATE KEY-----\n");
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            assertThat(((PrivateKeyInfo) parser.readObject()).getEncoded()).isEqualTo(EC.getPrivate().getEncoded());
        }
        assertThat(Pem.privateKey(bytes(pem))).isEqualTo(EC.getPrivate());
    }

    @Test
    void certificatesRoundTripInOrderAndOtherBlocksAreSkipped() {
        X509Certificate first = selfSigned(EC, "first");
        X509Certificate second = selfSigned(RSA, "second");

        String pem = Pem.write(List.of(first, second));

        assertThat(Pem.certificates(bytes(pem))).containsExactly(first, second);
        assertThat(Pem.certificates(bytes(Pem.write(EC.getPrivate()) + "text between\n" + pem))).containsExactly(first, second);
        assertThat(Pem.certificates(bytes(Pem.write(EC.getPrivate())))).isEmpty();
    }

    @Test
    void aKeyAfterACertificateIsFound() throws Exception {
        String pem = Pem.write(List.of(selfSigned(EC, "both"))) + Pem.write(EC.getPrivate());

        assertThat(signsFor(Pem.privateKey(bytes(pem)), EC.getPublic())).isTrue();
    }

    @Test
    void whatIsNoUsableKeyIsRefusedSayingWhy() {
        String encrypted = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n";
        String legacyEncrypted = "-----BEGIN EC PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n"
                + "-----END EC PRIVATE KEY-----\n";
        String notAKey = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";

        assertThatThrownBy(() -> Pem.privateKey(bytes(encrypted))).hasMessageStartingWith("the private key is encrypted");
        assertThatThrownBy(() -> Pem.privateKey(bytes(legacyEncrypted))).hasMessageStartingWith("the private key is encrypted");
        assertThatThrownBy(() -> Pem.privateKey(bytes(notAKey))).hasMessageStartingWith("not a PEM private key: ");
        assertThatThrownBy(() -> Pem.privateKey(bytes(Pem.write(List.of(selfSigned(EC, "only"))))))
                .hasMessage("no PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY block found");
        assertThatThrownBy(() -> Pem.certificates(bytes("-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not a PEM certificate: ");
    }

    private static X509Certificate selfSigned(KeyPair pair, String name) {
        Instant now = Instant.now();
        return new CertificateTemplate(name, "BootSource", pair.getPublic(), now, now.plus(Duration.ofDays(1)),
                new CertificateTemplate.TlsEndpoint(List.of(name), List.of(), false)).selfSigned(pair.getPrivate());
    }

    private static boolean signsFor(PrivateKey key, PublicKey publicKey) throws Exception {
        String algorithm = key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(new byte[] {4, 2});
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(publicKey);
        verifier.update(new byte[] {4, 2});
        return verifier.verify(signer.sign());
    }

    private static KeyPair pair(String algorithm) {
        return algorithm.equals("RSA") ? RSA : EC;
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
