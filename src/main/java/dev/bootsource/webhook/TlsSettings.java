package dev.bootsource.webhook;

import dev.bootsource.tls.Pem;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The webhook's TLS: 1.3, and 1.2 with ECDHE key exchange and AEAD ciphers only (no CBC, no static
 * RSA), the key and certificate from the {@link ReloadingKeyManager}, and optionally a client
 * certificate required from every client, signed by a given CA (the API server's, for
 * {@code --client-ca}) or the server's own self-probe certificate.
 */
final class TlsSettings {

    static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    static final List<String> CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    private TlsSettings() {
    }

    /**
     * @param clientCas   CA certificates a client certificate must chain to; empty: no client certificate asked
     * @param selfProbe   the self-probe's client certificate, accepted besides the CAs
     */
    static SslContext serverContext(ReloadingKeyManager keyManager, Optional<List<X509Certificate>> clientCas,
                                    X509Certificate selfProbe) {
        try {
            SslContextBuilder builder = SslContextBuilder.forServer(keyManager)
                    .sslProvider(SslProvider.JDK)
                    .protocols(PROTOCOLS)
                    .ciphers(CIPHER_SUITES, SupportedCipherSuiteFilter.INSTANCE);
            if (clientCas.isPresent()) {
                builder.trustManager(new ClientTrust(caTrust(clientCas.get()), selfProbe)).clientAuth(ClientAuth.REQUIRE);
            }
            return builder.build();
        } catch (SSLException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /**
     * The certificates of a PEM CA file.
     *
     * @throws TlsMaterialException when it cannot be read or holds no certificate
     */
    static List<X509Certificate> readCas(Path file) {
        List<X509Certificate> cas;
        try {
            cas = Pem.certificates(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new TlsMaterialException(file + ": cannot read: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new TlsMaterialException(file + ": " + e.getMessage(), e);
        }
        if (cas.isEmpty()) {
            throw new TlsMaterialException(file + ": no CERTIFICATE block found");
        }
        return cas;
    }

    private static X509ExtendedTrustManager caTrust(List<X509Certificate> cas) throws GeneralSecurityException {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < cas.size(); i++) {
                store.setCertificateEntry("client-ca-" + i, cas.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return Arrays.stream(factory.getTrustManagers()).filter(X509ExtendedTrustManager.class::isInstance)
                    .map(X509ExtendedTrustManager.class::cast).findFirst()
                    .orElseThrow(() -> new GeneralSecurityException("no X.509 trust manager"));
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
    }

    /** Client certificates chaining to the CAs, or exactly the self-probe's. */
    private static final class ClientTrust extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager cas;
        private final X509Certificate selfProbe;

        ClientTrust(X509ExtendedTrustManager cas, X509Certificate selfProbe) {
            this.cas = cas;
            this.selfProbe = selfProbe;
        }

        private boolean isSelfProbe(X509Certificate[] chain) {
            return chain != null && chain.length == 1 && chain[0].equals(selfProbe);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            if (!isSelfProbe(chain)) {
                cas.checkClientTrusted(chain, authType, engine);
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            if (!isSelfProbe(chain)) {
                cas.checkClientTrusted(chain, authType, socket);
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            if (!isSelfProbe(chain)) {
                cas.checkClientTrusted(chain, authType);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            throw new CertificateException("a server trust manager only");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("a server trust manager only");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a server trust manager only");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            X509Certificate[] issuers = Arrays.copyOf(cas.getAcceptedIssuers(), cas.getAcceptedIssuers().length + 1);
            issuers[issuers.length - 1] = selfProbe;
            return issuers;
        }
    }

    /** For the self-probe's client side: the server is itself, so any certificate it shows is accepted. */
    static X509TrustManager acceptingAnyServer() {
        return new X509ExtendedTrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
                throw new CertificateException("a client trust manager only");
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
                throw new CertificateException("a client trust manager only");
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                throw new CertificateException("a client trust manager only");
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
    }
}
