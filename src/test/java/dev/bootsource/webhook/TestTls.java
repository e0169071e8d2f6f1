package dev.bootsource.webhook;

import dev.bootsource.tls.ReferencePem;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

/** Certificates, PEM files and clients that trust them, for tests over real TLS. */
final class TestTls {

    enum KeyFormat {
        /** {@code PRIVATE KEY}, what cert-manager writes by default for ECDSA and what openssl genpkey writes. */
        PKCS8,
        /** {@code RSA PRIVATE KEY} (PKCS#1) or {@code EC PRIVATE KEY} (SEC1). */
        TRADITIONAL
    }

    private TestTls() {
    }

    static ServerCredentials ecCertificate() {
        return SelfSignedCertificate.generate(List.of("localhost"), List.of("127.0.0.1"));
    }

    static ServerCredentials rsaCertificate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return SelfSignedCertificate.generate(generator.generateKeyPair(), List.of("localhost"), List.of("127.0.0.1"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String keyPem(ServerCredentials credentials, KeyFormat format) {
        return format == KeyFormat.PKCS8
                ? ReferencePem.pkcs8(credentials.privateKey())
                : ReferencePem.traditional(credentials.privateKey(), credentials.certificate().getPublicKey());
    }

    static void writeCertificate(Path file, ServerCredentials credentials) {
        write(file, credentials.certificatePem());
    }

    static void writeKey(Path file, ServerCredentials credentials, KeyFormat format) {
        write(file, keyPem(credentials, format));
    }

    /** Replaces the file's content at once, as kubelet's symlink swap does for a mounted Secret. */
    static void write(Path file, String content) {
        try {
            Path next = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".next");
            Files.writeString(next, content, StandardCharsets.US_ASCII);
            Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fresh TLS context trusting only these certificates: no session to resume from an earlier one. */
    static SSLContext trusting(X509Certificate... certificates) {
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            for (int i = 0; i < certificates.length; i++) {
                trust.setCertificateEntry("trusted-" + i, certificates[i]);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A context that trusts the server's CA file and shows {@code client} as its client certificate. */
    static SSLContext withClientCertificate(SSLContext ignored, ServerCredentials client, Path serverCa) {
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("client", client.privateKey(), "client".toCharArray(),
                    client.chain().toArray(java.security.cert.Certificate[]::new));
            javax.net.ssl.KeyManagerFactory keyFactory = javax.net.ssl.KeyManagerFactory.getInstance(
                    javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
            keyFactory.init(keys, "client".toCharArray());
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            try (var in = Files.newInputStream(serverCa)) {
                trust.setCertificateEntry("server", java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
            }
            TrustManagerFactory trustFactory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustFactory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyFactory.getKeyManagers(), trustFactory.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static HttpClient client(SSLContext context) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(context)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }
}
