package dev.bootsource.webhook;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.bootsource.cluster.ClusterView;
import dev.bootsource.policy.BootSourcePolicy;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The mutating admission webhook over HTTPS: {@code POST /mutate} answers AdmissionReviews against
 * the cluster state, {@code GET /healthz} says it is up. Built on the JDK's own HTTPS server with a
 * bounded pool of worker threads.
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
    private static final int BACKLOG = 128;
    private static final int QUEUED_EXCHANGES = 1024;
    private static final AtomicInteger SERVERS = new AtomicInteger();

    static {
        tuneJdkHttpServer();
    }

    private final HttpsServer server;
    private final ThreadPoolExecutor workers;
    private final ReloadingKeyManager keyManager;
    private final Optional<Path> selfSignedCertificateFile;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param port         the port to listen on, all interfaces; 0 picks a free one
     * @param tlsCertFile  PEM certificate chain, e.g. a mounted Secret's {@code tls.crt}; with
     *                     {@code tlsKeyFile}, or neither for a self-signed certificate
     * @param tlsKeyFile   PEM private key, e.g. {@code tls.key}
     */
    public record Settings(int port, Optional<Path> tlsCertFile, Optional<Path> tlsKeyFile) {

        public Settings {
            Objects.requireNonNull(tlsCertFile, "tlsCertFile");
            Objects.requireNonNull(tlsKeyFile, "tlsKeyFile");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " is not between 0 and 65535");
            }
            if (tlsCertFile.isPresent() != tlsKeyFile.isPresent()) {
                throw new IllegalArgumentException("give both the TLS certificate and key files, or neither "
                        + "for a self-signed certificate");
            }
        }

        /** A self-signed certificate instead of files: for local trials and tests. */
        public static Settings selfSigned(int port) {
            return new Settings(port, Optional.empty(), Optional.empty());
        }
    }

    private WebhookServer(HttpsServer server, ThreadPoolExecutor workers, ReloadingKeyManager keyManager,
                          Optional<Path> selfSignedCertificateFile) {
        this.server = server;
        this.workers = workers;
        this.keyManager = keyManager;
        this.selfSignedCertificateFile = selfSignedCertificateFile;
    }

    /**
     * Starts serving.
     *
     * @param cluster read on every request, so a live (informer-backed) view gives current answers
     * @throws TlsMaterialException when the certificate and key files exist but cannot be used; files that
     *                              do not exist yet are waited for (a Secret cert-manager has not issued)
     * @throws UncheckedIOException when the port cannot be bound
     */
    public static WebhookServer start(Settings settings, ClusterView cluster, BootSourcePolicy policy) {
        return start(settings, cluster, policy, new SimpleMeterRegistry());
    }

    /** As {@link #start(Settings, ClusterView, BootSourcePolicy)}, counting admissions in {@code metrics}. */
    public static WebhookServer start(Settings settings, ClusterView cluster, BootSourcePolicy policy, MeterRegistry metrics) {
        return start(settings, cluster, policy, metrics, ReloadingKeyManager.DEFAULT_CHECK_INTERVAL);
    }

    static WebhookServer start(Settings settings, ClusterView cluster, BootSourcePolicy policy, Duration certificateCheckInterval) {
        return start(settings, cluster, policy, new SimpleMeterRegistry(), certificateCheckInterval);
    }

    private static WebhookServer start(Settings settings, ClusterView cluster, BootSourcePolicy policy, MeterRegistry metrics,
                                       Duration certificateCheckInterval) {
        Optional<Path> selfSignedFile = Optional.empty();
        ReloadingKeyManager keyManager;
        if (settings.tlsCertFile().isPresent()) {
            keyManager = ReloadingKeyManager.watching(new ReloadingKeyManager.PemFiles(
                    settings.tlsCertFile().get(), settings.tlsKeyFile().orElseThrow()), certificateCheckInterval,
                    WebhookServer::selfSigned);
        } else {
            ServerCredentials credentials = selfSigned();
            selfSignedFile = Optional.of(writeCertificate(credentials));
            keyManager = ReloadingKeyManager.fixed(credentials);
            LOG.atInfo().addKeyValue("caFile", selfSignedFile.get()).log("no TLS certificate files given: serving a "
                    + "self-signed certificate for " + serviceDnsNames() + "; clients trust it with the CA file " + selfSignedFile.get());
        }

        int threads = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
        ThreadPoolExecutor workers = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUED_EXCHANGES), workerThreads());
        HttpsServer server;
        try {
            server = HttpsServer.create(new InetSocketAddress(settings.port()), BACKLOG);
        } catch (IOException e) {
            workers.shutdownNow();
            throw new UncheckedIOException("cannot listen on port " + settings.port() + ": " + e.getMessage(), e);
        }
        server.setHttpsConfigurator(configurator(keyManager));
        server.setExecutor(workers);
        server.createContext(MutateEndpoint.PATH, new MutateEndpoint(new AdmissionReviewer(cluster, policy), new AdmissionMetrics(metrics)));
        server.createContext(HealthEndpoint.PATH, new HealthEndpoint());
        server.createContext("/", exchange -> {
            try (exchange) {
                HttpResponses.notFound(exchange);
            }
        });
        server.start();
        LOG.atInfo().addKeyValue("port", server.getAddress().getPort()).addKeyValue("threads", threads)
                .log("admission webhook serving POST " + MutateEndpoint.PATH + " over HTTPS on port "
                        + server.getAddress().getPort() + ", all interfaces");
        return new WebhookServer(server, workers, keyManager, selfSignedFile);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Where the self-signed certificate (the CA to trust) was written, when no certificate files were given. */
    public Optional<Path> selfSignedCertificateFile() {
        return selfSignedCertificateFile;
    }

    /** Stops listening and ends open connections; in-flight requests fall under the registration's failurePolicy. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        server.stop(0);
        workers.shutdown();
        try {
            if (!workers.awaitTermination(2, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
        LOG.atInfo().addKeyValue("port", server.getAddress().getPort()).log("admission webhook stopped");
    }

    ServerCredentials currentCredentials() {
        return keyManager.currentCredentials();
    }

    private static ServerCredentials selfSigned() {
        return SelfSignedCertificate.generate(serviceDnsNames(), List.of("127.0.0.1", "::1"));
    }

    /** localhost and the names the webhook Service answers to inside the cluster. */
    static List<String> serviceDnsNames() {
        String inNamespace = SERVICE_NAME + "." + SERVICE_NAMESPACE;
        return List.of("localhost", SERVICE_NAME, inNamespace, inNamespace + ".svc", inNamespace + ".svc.cluster.local");
    }

    private static HttpsConfigurator configurator(ReloadingKeyManager keyManager) {
        SSLContext context;
        try {
            context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {keyManager}, null, null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
        return new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters parameters = getSSLContext().getDefaultSSLParameters();
                parameters.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
                parameters.setNeedClientAuth(false);
                params.setSSLParameters(parameters);
            }
        };
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

    private static ThreadFactory workerThreads() {
        int server = SERVERS.incrementAndGet();
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "webhook-" + server + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * Sets the JDK HTTP server's process-wide options the webhook relies on, unless given on the command
     * line. The JDK reads them once, when the first {@code com.sun.net.httpserver} server of the process is
     * created, so a process that also serves plain HTTP (metrics, health) calls this before creating that
     * server; loading this class does it too.
     * <ul>
     *   <li>{@code sun.net.httpserver.nodelay=true}: without TCP_NODELAY a response, whose headers and body
     *       leave in two writes, waits for the client's delayed ACK (about 40 ms).</li>
     *   <li>{@code sun.net.httpserver.maxReqTime=30}: a request must arrive whole within 30 s (the API
     *       server gives up after at most 30 s anyway), so slow clients cannot hold the worker threads.</li>
     * </ul>
     */
    public static void tuneJdkHttpServer() {
        setIfAbsent("sun.net.httpserver.nodelay", "true");
        setIfAbsent("sun.net.httpserver.maxReqTime", "30");
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }
}
