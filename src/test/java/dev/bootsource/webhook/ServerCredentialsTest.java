package dev.bootsource.webhook;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading a Kubernetes TLS Secret's tls.crt and tls.key in the formats cert-manager and openssl write. */
class ServerCredentialsTest {

    private static final ServerCredentials RSA = TestTls.rsaCertificate();
    private static final ServerCredentials EC = TestTls.ecCertificate();

    @ParameterizedTest(name = "RSA key as {0}")
    @EnumSource(TestTls.KeyFormat.class)
    void readsRsaKeys(TestTls.KeyFormat format) {
        ServerCredentials read = read(RSA.certificatePem(), TestTls.keyPem(RSA, format));

        assertThat(read.certificate()).isEqualTo(RSA.certificate());
        assertThat(read.privateKey().getAlgorithm()).isEqualTo("RSA");
    }

    @ParameterizedTest(name = "EC key as {0}")
    @EnumSource(TestTls.KeyFormat.class)
    void readsEcKeys(TestTls.KeyFormat format) {
        ServerCredentials read = read(EC.certificatePem(), TestTls.keyPem(EC, format));

        assertThat(read.certificate()).isEqualTo(EC.certificate());
        assertThat(read.privateKey().getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void keepsTheWholeChainLeafFirst() {
        ServerCredentials read = read(EC.certificatePem() + RSA.certificatePem(), TestTls.keyPem(EC, TestTls.KeyFormat.PKCS8));

        assertThat(read.chain()).containsExactly(EC.certificate(), RSA.certificate());
    }

    @Test
    void skipsEcParametersBeforeTheKey() {
        String opensslEcparamOutput = "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n"
                + TestTls.keyPem(EC, TestTls.KeyFormat.TRADITIONAL);

        assertThat(read(EC.certificatePem(), opensslEcparamOutput).privateKey().getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void aKeyOfAnotherCertificateIsRefused() {
        assertThatThrownBy(() -> read(EC.certificatePem(), TestTls.keyPem(RSA, TestTls.KeyFormat.PKCS8)))
                .isInstanceOf(TlsMaterialException.class)
                .hasMessage("tls.key: the private key does not belong to the certificate in tls.crt");
    }

    @Test
    void aFileWithoutCertificatesIsRefused() {
        assertThatThrownBy(() -> read(TestTls.keyPem(EC, TestTls.KeyFormat.PKCS8), TestTls.keyPem(EC, TestTls.KeyFormat.PKCS8)))
                .isInstanceOf(TlsMaterialException.class)
                .hasMessage("tls.crt: no CERTIFICATE block found");
    }

    @Test
    void aFileWithoutAKeyIsRefused() {
        assertThatThrownBy(() -> read(EC.certificatePem(), EC.certificatePem()))
                .isInstanceOf(TlsMaterialException.class)
                .hasMessageStartingWith("tls.key: no PRIVATE KEY");
    }

    @Test
    void garbageIsRefusedWithTheFileName() {
        assertThatThrownBy(() -> read("-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n",
                TestTls.keyPem(EC, TestTls.KeyFormat.PKCS8)))
                .isInstanceOf(TlsMaterialException.class)
                .hasMessageStartingWith("tls.crt: not a PEM certificate");
    }

    private static ServerCredentials read(String certificatePem, String keyPem) {
        return ServerCredentials.fromPem(certificatePem.getBytes(StandardCharsets.US_ASCII),
                keyPem.getBytes(StandardCharsets.US_ASCII), "tls.crt", "tls.key");
    }
}
