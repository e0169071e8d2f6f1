package dev.bootsource.webhook;

import dev.bootsource.errors.InvalidInputException;
import dev.bootsource.cluster.ClusterView;
import dev.bootsource.policy.BootSourcePolicy;
import dev.bootsource.webhook.http.Endpoint;
import dev.bootsource.webhook.http.HardenedHttpServer;
import dev.bootsource.webhook.http.ServerLimits;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.ssl.SslContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The mutating admission webhook over HTTPS: {@code POST /mutate} answers AdmissionReviews against
 * the cluster state, {@code GET /healthz} says whether the server still completes a handshake and a
 * review of its own (the self-probe). Served by a {@link HardenedHttpServer}: no client can hold a
 * thread, every phase of a request has a deadline, connections and request bodies are capped.
 *
 * <pre>{@code
 * try (WebhookServer server = WebhookServer.start(new WebhookServer.Settings(8443, cert, key), cluster, policy)) {
 *     ...
 * }
 * }</pre>
 */
public final class WebhookServer implements AutoCloseable {

    public static final int DEFAULT_PORT = 8443;
    /** The Service the registration calls, in the namespace BootSource is installed in (deploy/). */
    public static final String SERVICE_NAME = "bootsource-webhook";
    public static final String SERVICE_NAMESPACE = "bootsource";

    private static final Logger LOG = LoggerFactory.getLogger(WebhookServer.class);

    private final HardenedHttpServer server;
    private final ReloadingKeyManager keyManager;
    private final SelfProbe probe;
    private final Optional<Path> selfSignedCertificateFile;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param address      the interface to listen on, as a host name or IP literal; empty for all
     * @param port         the port to listen on; 0 picks a free one
     * @param tlsCertFile  PEM certificate chain, e.g. a mounted Secret's {@code tls.crt}; with
     *                     {@code tlsKeyFile}, or neither for a self-signed certificate
     * @param tlsKeyFile   PEM private key, e.g. {@code tls.key}
     * @param clientCaFile PEM CA certificates; when given, every client must present a certificate they
     *                     signed (the API server's client certificate)
     */
    public record Settings(Optional<String> address, int port, Optional<Path> tlsCertFile, Optional<Path> tlsKeyFile,
                           Optional<Path> clientCaFile) {

        public Settings {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(tlsCertFile, "tlsCertFile");
            Objects.requireNonNull(tlsKeyFile, "tlsKeyFile");
            Objects.requireNonNull(clientCaFile, "clientCaFile");
            if (port < 0 || port > 65535) {
                throw new InvalidInputException("port " + port + " is not between 0 and 65535");
            }
            if (tlsCertFile.isPresent() != tlsKeyFile.isPresent()) {
                throw new InvalidInputException("give both the TLS certificate and key files, or neither "
                        + "for a self-signed certificate");
            }
            address = address.filter(host -> !host.isBlank());
        }

        /** On all interfaces, without client certificates. */
        public Settings(int port, Optional<Path> tlsCertFile, Optional<Path> tlsKeyFile) {
            this(Optional.empty(), port, tlsCertFile, tlsKeyFile, Optional.empty());
        }

        /** A self-signed certificate instead of files: for local trials and tests. */
        public static Settings selfSigned(int port) {
            return new Settings(port, Optional.empty(), Optional.empty());
        }

        public Settings withAddress(Optional<String> newAddress) {
            return new Settings(newAddress, port, tlsCertFile, tlsKeyFile, clientCaFile);
        }

        public Settings withClientCa(Optional<Path> newClientCaFile) {
            return new Settings(address, port, tlsCertFile, tlsKeyFile, newClientCaFile);
        }
    }

    /** How hard the server holds on: its limits, how often it looks at the certificate files and probes itself. */
    record Tuning(ServerLimits limits, Duration certificateCheckInterval, SelfProbe.Timing probe) {

        static final Tuning DEFAULT = new Tuning(defaultLimits(), ReloadingKeyManager.DEFAULT_CHECK_INTERVAL, SelfProbe.Timing.DEFAULT);

        Tuning withLimits(ServerLimits newLimits) {
            return new Tuning(newLimits, certificateCheckInterval, probe);
        }

        Tuning withCertificateCheckInterval(Duration interval) {
            return new Tuning(limits, interval, probe);
        }

        Tuning withProbe(SelfProbe.Timing timing) {
            return new Tuning(limits, certificateCheckInterval, timing);
        }
    }

    /**
     * 1,024 connections; 5 s for the handshake and for a request's headers, 10 s for its body, 60 s idle
     * between requests; bodies up to 3 MiB, 48 MiB of them in memory at once; one worker per core (at
     * least two), 256 complete requests queued behind them.
     */
    static ServerLimits defaultLimits() {
        int cores = Runtime.getRuntime().availableProcessors();
        return new ServerLimits(1024, 1024, Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(10),
                Duration.ofSeconds(60), MutateEndpoint.MAX_BODY_BYTES, 16L * MutateEndpoint.MAX_BODY_BYTES,
                Math.max(2, cores), 256);
    }

    private WebhookServer(HardenedHttpServer server, ReloadingKeyManager keyManager, SelfProbe probe,
                          Optional<Path> selfSignedCertificateFile) {
        this.server = server;
        this.keyManager = keyManager;
        this.probe = probe;
        this.selfSignedCertificateFile = selfSignedCertificateFile;
    }

    /**
     * Starts serving.
     *
     * @param cluster read on every request, so a live (informer-backed) view gives current answers
     * @throws TlsMaterialException when the certificate and key files exist but cannot be used, or the
     *                              client CA file cannot be read; certificate files that do not exist yet
     *                              are waited for (a Secret cert-manager has not issued)
     * @throws UncheckedIOException when the address cannot be bound
     */
    public static WebhookServer start(Settings settings, ClusterView cluster, BootSourcePolicy policy) {
        return start(settings, cluster, policy, new SimpleMeterRegistry());
    }

    /** As {@link #start(Settings, ClusterView, BootSourcePolicy)}, counting admissions in {@code metrics}. */
    public static WebhookServer start(Settings settings, ClusterView cluster, BootSourcePolicy policy, MeterRegistry metrics) {
        return start(settings, cluster, policy, metrics, Tuning.DEFAULT);
    }

    static WebhookServer start(Settings settings, ClusterView cluster, BootSourcePolicy policy, Duration certificateCheckInterval) {
        return start(settings, cluster, policy, new SimpleMeterRegistry(), Tuning.DEFAULT.withCertificateCheckInterval(certificateCheckInterval));
    }

    static WebhookServer start(Settings settings, ClusterView cluster, BootSourcePolicy policy, MeterRegistry metrics, Tuning tuning) {
        Optional<Path> selfSignedFile = Optional.empty();
        ReloadingKeyManager keyManager;
        Optional<List<X509Certificate>> clientCas = settings.clientCaFile().map(TlsSettings::readCas);
        if (settings.tlsCertFile().isPresent()) {
            keyManager = ReloadingKeyManager.watching(new ReloadingKeyManager.PemFiles(
                    settings.tlsCertFile().get(), settings.tlsKeyFile().orElseThrow()), tuning.certificateCheckInterval(),
                    WebhookServer::selfSigned);
        } else {
            ServerCredentials credentials = selfSigned();
            selfSignedFile = Optional.of(writeCertificate(credentials));
            keyManager = ReloadingKeyManager.fixed(credentials);
            LOG.atInfo().addKeyValue("caFile", selfSignedFile.get()).log("no TLS certificate files given: serving a "
                    + "self-signed certificate for " + serviceDnsNames() + "; clients trust it with the CA file " + selfSignedFile.get());
        }
        ServerCredentials probeCredentials = SelfSignedCertificate.generate(List.of("bootsource-self-probe"), List.of());
        SslContext tls = TlsSettings.serverContext(keyManager, clientCas, probeCredentials.certificate());

        AdmissionMetrics admissionMetrics = new AdmissionMetrics(metrics);
        admissionMetrics.certificateExpiry(() -> keyManager.currentCredentials().certificate());
        MutateEndpoint mutate = new MutateEndpoint(new AdmissionReviewer(cluster, policy), admissionMetrics);
        SelfProbe[] probe = new SelfProbe[1];
        HealthEndpoint health = new HealthEndpoint(() -> probe[0] == null ? Optional.empty() : probe[0].problem());
        InetSocketAddress address = settings.address()
                .map(host -> new InetSocketAddress(host, settings.port()))
                .orElseGet(() -> new InetSocketAddress(settings.port()));
        if (address.isUnresolved()) {
            throw new InvalidInputException("cannot listen on " + settings.address().get() + ": no such address");
        }
        HardenedHttpServer server = HardenedHttpServer.start("webhook", address, Optional.of(() -> tls), tuning.limits(),
                routes(mutate, health));
        probe[0] = SelfProbe.start(server.address(), probeCredentials, tuning.probe());
        LOG.atInfo().addKeyValue("port", server.port()).addKeyValue("workers", tuning.limits().workers())
                .log("admission webhook serving POST " + MutateEndpoint.PATH + " over HTTPS on "
                        + describe(server.address()) + (clientCas.isPresent() ? ", client certificates required" : ""));
        return new WebhookServer(server, keyManager, probe[0], selfSignedFile);
    }

    public int port() {
        return server.port();
    }

    /** The address and port the server listens on. */
    public InetSocketAddress address() {
        return server.address();
    }

    /** Where the self-signed certificate (the CA to trust) was written, when no certificate files were given. */
    public Optional<Path> selfSignedCertificateFile() {
        return selfSignedCertificateFile;
    }

    /**
     * Empty while the server's self-probe (a TLS handshake and a review on its own port) succeeds;
     * otherwise why it has not for a while. For a liveness check: a server that cannot answer itself
     * should be restarted.
     */
    public Optional<String> livenessProblem() {
        return closed.get() ? Optional.of("the admission webhook is stopped") : probe.problem();
    }

    /** Stops listening and ends open connections; in-flight requests fall under the registration's failurePolicy. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        probe.close();
        server.close();
        LOG.atInfo().addKeyValue("port", server.port()).log("admission webhook stopped");
    }

    ServerCredentials currentCredentials() {
        return keyManager.currentCredentials();
    }

    HardenedHttpServer httpServer() {
        return server;
    }

    private static Endpoint routes(MutateEndpoint mutate, HealthEndpoint health) {
        return new Endpoint() {
            @Override
            public Optional<Response> refuseBeforeBody(Head head) {
                return switch (head.path()) {
                    case MutateEndpoint.PATH -> mutate.refuseBeforeBody(head);
                    case HealthEndpoint.PATH -> Optional.empty();
                    default -> "GET".equals(head.method()) || "HEAD".equals(head.method())
                            ? Optional.empty() : Optional.of(HttpResponses.notFound());
                };
            }

            @Override
            public Response tooLarge(int maxBodyBytes) {
                return mutate.tooLarge();
            }

            @Override
            public Response answer(Head head, byte[] body) {
                return switch (head.path()) {
                    case MutateEndpoint.PATH -> mutate.answer(head, body);
                    case HealthEndpoint.PATH -> health.answer(head);
                    default -> HttpResponses.notFound();
                };
            }
        };
    }

    private static String describe(InetSocketAddress address) {
        return address.getAddress() == null || address.getAddress().isAnyLocalAddress()
                ? "port " + address.getPort() + ", all interfaces"
                : address.getAddress().getHostAddress() + " port " + address.getPort();
    }

    private static ServerCredentials selfSigned() {
        return SelfSignedCertificate.generate(serviceDnsNames(), List.of("127.0.0.1", "::1"));
    }

    /** localhost and the names the webhook Service answers to inside the cluster. */
    static List<String> serviceDnsNames() {
        String inNamespace = SERVICE_NAME + "." + SERVICE_NAMESPACE;
        return List.of("localhost", SERVICE_NAME, inNamespace, inNamespace + ".svc", inNamespace + ".svc.cluster.local");
    }

    private static Path writeCertificate(ServerCredentials credentials) {
        try {
            Path file = Files.createTempFile("bootsource-webhook-", "-ca.pem");
            Files.writeString(file, credentials.certificatePem(), StandardCharsets.US_ASCII);
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the self-signed certificate: " + e.getMessage(), e);
        }
    }
}
