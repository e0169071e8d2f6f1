package dev.bootsource.webhook;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The webhook asking itself: every period, a fresh TLS connection to its own port, a complete
 * handshake, one AdmissionReview POSTed to {@code /mutate} and its answer read, all within a timeout,
 * exactly as the API server would. {@code /healthz} fails once no probe has succeeded for a while, so
 * a server that accepts connections but cannot handshake or answer (threads stuck, memory exhausted)
 * is restarted by its liveness probe instead of lingering behind {@code failurePolicy: Ignore}.
 *
 * <p>The probe's review is for a kind BootSource ignores ({@code SelfProbe.bootsource.dev}), so it
 * changes nothing and shows in the metrics as {@code kind="SelfProbe", result="ignored"}.
 */
final class SelfProbe implements AutoCloseable {

    /**
     * @param period    between the end of one probe and the start of the next
     * @param timeout   for one probe: connect, handshake, request and answer
     * @param failAfter {@code /healthz} fails when no probe has succeeded for this long
     */
    record Timing(Duration period, Duration timeout, Duration failAfter) {
        static final Timing DEFAULT = new Timing(Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(35));
    }

    static final String KIND = "SelfProbe";
    static final String UID_PREFIX = "bootsource-self-probe-";
    private static final Logger LOG = LoggerFactory.getLogger(SelfProbe.class);
    private static final int MAX_ANSWER_BYTES = 64 * 1024;

    private final InetSocketAddress target;
    private final SSLContext context;
    private final Timing timing;
    private final ScheduledExecutorService scheduler;
    private final AtomicLong sequence = new AtomicLong();
    private volatile long lastSuccess;
    private volatile String lastFailure = "no probe has run yet";
    private volatile boolean failing;

    private SelfProbe(InetSocketAddress target, SSLContext context, Timing timing) {
        this.target = target;
        this.context = context;
        this.timing = timing;
        this.lastSuccess = System.nanoTime();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "webhook-self-probe");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Starts probing the server listening on {@code listening} (the loopback address when it listens
     * on all interfaces), presenting {@code clientCredentials} when the server asks for a certificate.
     */
    static SelfProbe start(InetSocketAddress listening, ServerCredentials clientCredentials, Timing timing) {
        InetAddress address = listening.getAddress() == null || listening.getAddress().isAnyLocalAddress()
                ? InetAddress.getLoopbackAddress() : listening.getAddress();
        SelfProbe probe = new SelfProbe(new InetSocketAddress(address, listening.getPort()), clientContext(clientCredentials), timing);
        // The first probe waits a full period: a handshake and a review of its own would otherwise compete for
        // the CPU with filling the caches, which is what readiness waits for; /healthz allows failAfter anyway.
        probe.scheduler.scheduleWithFixedDelay(probe::probeOnce, timing.period().toMillis(),
                timing.period().toMillis(), TimeUnit.MILLISECONDS);
        return probe;
    }

    /** Empty while a probe has succeeded recently enough; else why not. */
    Optional<String> problem() {
        long since = System.nanoTime() - lastSuccess;
        if (since > timing.failAfter().toNanos()) {
            return Optional.of("the webhook has not completed a TLS handshake and an admission review on " + describe(target)
                    + " for " + TimeUnit.NANOSECONDS.toSeconds(since) + " s; last failure: " + lastFailure);
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }

    private void probeOnce() {
        String uid = UID_PREFIX + sequence.incrementAndGet();
        long started = System.nanoTime();
        try {
            String failure = exchange(uid, started + timing.timeout().toNanos());
            if (failure == null) {
                lastSuccess = System.nanoTime();
                if (failing) {
                    failing = false;
                    LOG.atInfo().log("the webhook answers its self-probe again");
                }
                return;
            }
            failed(failure);
        } catch (IOException | RuntimeException e) {
            failed(e.toString());
        }
    }

    private void failed(String reason) {
        lastFailure = reason;
        if (!failing) {
            failing = true;
            LOG.atWarn().log("the webhook's self-probe failed: " + LogText.escape(reason)
                    + "; /healthz fails if this lasts " + timing.failAfter().toSeconds() + " s");
        }
    }

    /** One probe; null when it succeeded, else what went wrong. */
    private String exchange(String uid, long deadline) throws IOException {
        int timeoutMillis = (int) Math.max(1, timing.timeout().toMillis());
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
            socket.connect(target, timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            socket.startHandshake();
            byte[] body = review(uid);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + MutateEndpoint.PATH + "?timeout=5s HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            String answer = readAll(socket.getInputStream(), deadline);
            if (!answer.startsWith("HTTP/1.1 200")) {
                return "answered " + answer.lines().findFirst().orElse("nothing");
            }
            return answer.contains("\"" + uid + "\"") && answer.contains("\"allowed\":true") ? null : "an answer without allowed: true for " + uid;
        }
    }

    private static String readAll(InputStream in, long deadline) throws IOException {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
            answer.write(buffer, 0, read);
            if (answer.size() > MAX_ANSWER_BYTES || System.nanoTime() - deadline > 0) {
                break;
            }
        }
        return answer.toString(StandardCharsets.UTF_8);
    }

    static byte[] review(String uid) {
        return ("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"" + uid + "\","
                + "\"kind\":{\"group\":\"bootsource.dev\",\"version\":\"v1\",\"kind\":\"" + KIND + "\"},"
                + "\"operation\":\"CREATE\",\"namespace\":\"bootsource\",\"name\":\"self-probe\","
                + "\"object\":{\"apiVersion\":\"bootsource.dev/v1\",\"kind\":\"" + KIND + "\",\"metadata\":{\"name\":\"self-probe\"}}}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static SSLContext clientContext(ServerCredentials credentials) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {new ClientIdentity(credentials)},
                    new TrustManager[] {TlsSettings.acceptingAnyServer()}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up the self-probe's TLS: " + e.getMessage(), e);
        }
    }

    /**
     * The probe's client certificate, handed to the TLS engine as it is: a key store would encrypt the
     * key with thousands of PBKDF2 rounds only to decrypt it again, a noticeable part of the start.
     */
    private static final class ClientIdentity extends X509ExtendedKeyManager {
        private static final String ALIAS = "self-probe";
        private final ServerCredentials credentials;

        ClientIdentity(ServerCredentials credentials) {
            this.credentials = credentials;
        }

        private String aliasFor(String[] keyTypes) {
            String algorithm = credentials.privateKey().getAlgorithm();
            return keyTypes != null && Arrays.asList(keyTypes).contains(algorithm) ? ALIAS : null;
        }

        @Override
        public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
            return aliasFor(keyTypes);
        }

        @Override
        public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
            return aliasFor(keyTypes);
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return aliasFor(new String[] {keyType}) == null ? null : new String[] {ALIAS};
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return ALIAS.equals(alias) ? credentials.chain().toArray(X509Certificate[]::new) : null;
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return ALIAS.equals(alias) ? credentials.privateKey() : null;
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }
    }

    private static String describe(InetSocketAddress address) {
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }
}
