package dev.bootsource.webhook;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Serves the server's key and certificate, and picks up new ones without a restart: when a TLS
 * handshake starts and the last look is older than the check interval, the PEM files are read again
 * (a few KB) and swapped in if their content changed. cert-manager and kubelet replace a mounted
 * Secret's files within about a minute of a renewal; new connections then get the new certificate.
 *
 * <p>A half-written pair (new certificate, old key) or an unreadable file keeps the last good
 * credentials and is logged once; the next check tries again. A certificate that is expired or not
 * yet valid is a warning at the start and on reload, and never replaces a valid one. Each loaded pair has its own alias, so
 * a handshake that chose an alias before a swap still gets a key and chain that belong together.
 */
final class ReloadingKeyManager extends X509ExtendedKeyManager {

    static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofSeconds(2);
    private static final Logger LOG = LoggerFactory.getLogger(ReloadingKeyManager.class);
    private static final String ALIAS_PREFIX = "bootsource-webhook-";

    private final Optional<PemFiles> files;
    private final long checkIntervalNanos;
    private final AtomicLong nextCheck;
    private volatile Loaded current;
    private volatile Loaded previous;
    private byte[] lastProblem = new byte[0];

    /** The certificate and key file a Secret is mounted as. */
    record PemFiles(Path certificate, Path key) {
    }

    /** @param interim a stand-in served until the files exist, replaced by whatever they hold */
    private record Loaded(String alias, ServerCredentials credentials, byte[] certificatePem, byte[] keyPem, boolean interim) {
    }

    private ReloadingKeyManager(Optional<PemFiles> files, Loaded initial, Duration checkInterval) {
        this.files = files;
        this.current = initial;
        this.previous = initial;
        this.checkIntervalNanos = checkInterval.toNanos();
        this.nextCheck = new AtomicLong(System.nanoTime() + checkIntervalNanos);
    }

    /** Fixed credentials, never reloaded (the self-signed pair). */
    static ReloadingKeyManager fixed(ServerCredentials credentials) {
        return new ReloadingKeyManager(Optional.empty(), new Loaded(ALIAS_PREFIX + 1, credentials, new byte[0], new byte[0], false),
                DEFAULT_CHECK_INTERVAL);
    }

    /**
     * Serves the files' pair, and each new one they get. Files that do not exist yet (a Secret that
     * cert-manager has not issued, mounted {@code optional}) are waited for: until they appear, the
     * interim pair is served, which no client trusts, so callers fall back to their failure policy.
     *
     * @throws TlsMaterialException when the files exist but cannot be used; later failures only keep the old pair
     */
    static ReloadingKeyManager watching(PemFiles files, Duration checkInterval, Supplier<ServerCredentials> interim) {
        if (!Files.exists(files.certificate()) || !Files.exists(files.key())) {
            LOG.atWarn().addKeyValue("file", files.certificate()).log("TLS certificate or key file does not exist yet: "
                    + "serving a temporary self-signed certificate until both appear");
            return new ReloadingKeyManager(Optional.of(files),
                    new Loaded(ALIAS_PREFIX + 1, interim.get(), new byte[0], new byte[0], true), checkInterval);
        }
        byte[] certificatePem = read(files.certificate());
        byte[] keyPem = read(files.key());
        ServerCredentials credentials = ServerCredentials.fromPem(certificatePem, keyPem,
                files.certificate().toString(), files.key().toString());
        Optional<String> invalid = credentials.validityProblem(Instant.now());
        if (invalid.isPresent()) {
            LOG.atWarn().addKeyValue("file", files.certificate()).log("serving TLS certificate " + credentials.describe()
                    + ", but " + invalid.get() + ": clients will refuse it until the files hold a valid one");
        } else {
            LOG.atInfo().addKeyValue("file", files.certificate()).log("serving TLS certificate " + credentials.describe());
        }
        return new ReloadingKeyManager(Optional.of(files),
                new Loaded(ALIAS_PREFIX + 1, credentials, certificatePem, keyPem, false), checkInterval);
    }

    ServerCredentials currentCredentials() {
        return current.credentials();
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return aliasFor(keyType);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return aliasFor(keyType);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        String alias = aliasFor(keyType);
        return alias == null ? null : new String[] {alias};
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return find(alias).map(loaded -> loaded.credentials().chain().toArray(X509Certificate[]::new)).orElse(null);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return find(alias).map(loaded -> loaded.credentials().privateKey()).orElse(null);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        return null;
    }

    private String aliasFor(String keyType) {
        reloadIfDue();
        Loaded loaded = current;
        return loaded.credentials().privateKey().getAlgorithm().equals(keyType) ? loaded.alias() : null;
    }

    private Optional<Loaded> find(String alias) {
        Loaded now = current;
        if (now.alias().equals(alias)) {
            return Optional.of(now);
        }
        Loaded before = previous;
        return before.alias().equals(alias) ? Optional.of(before) : Optional.empty();
    }

    /** One handshake per interval does the check; the others go on with what is loaded. */
    private void reloadIfDue() {
        if (files.isEmpty()) {
            return;
        }
        long due = nextCheck.get();
        long now = System.nanoTime();
        if (now - due < 0 || !nextCheck.compareAndSet(due, now + checkIntervalNanos)) {
            return;
        }
        reload(files.get());
    }

    private synchronized void reload(PemFiles files) {
        byte[] certificatePem;
        byte[] keyPem;
        try {
            certificatePem = read(files.certificate());
            keyPem = read(files.key());
        } catch (TlsMaterialException e) {
            warnOnce(files, e.getMessage().getBytes(StandardCharsets.UTF_8), "keeping the current TLS certificate: " + e.getMessage());
            return;
        }
        Loaded loaded = current;
        if (Arrays.equals(certificatePem, loaded.certificatePem()) && Arrays.equals(keyPem, loaded.keyPem())) {
            return;
        }
        try {
            ServerCredentials credentials = ServerCredentials.fromPem(certificatePem, keyPem,
                    files.certificate().toString(), files.key().toString());
            Instant now = Instant.now();
            Optional<String> invalid = credentials.validityProblem(now);
            boolean currentValid = !loaded.interim() && loaded.credentials().validityProblem(now).isEmpty();
            if (invalid.isPresent() && currentValid) {
                warnOnce(files, concat(certificatePem, keyPem), "keeping the current TLS certificate "
                        + loaded.credentials().describe() + "; the new one cannot replace it: " + invalid.get());
                return;
            }
            int generation = Integer.parseInt(loaded.alias().substring(ALIAS_PREFIX.length())) + 1;
            previous = loaded;
            current = new Loaded(ALIAS_PREFIX + generation, credentials, certificatePem, keyPem, false);
            lastProblem = new byte[0];
            if (invalid.isPresent()) {
                LOG.atWarn().addKeyValue("file", files.certificate()).log("reloaded TLS certificate " + credentials.describe()
                        + ", but " + invalid.get() + " (the one it replaced was not valid either)");
            } else {
                LOG.atInfo().addKeyValue("file", files.certificate()).log("reloaded TLS certificate " + credentials.describe());
            }
        } catch (TlsMaterialException e) {
            warnOnce(files, concat(certificatePem, keyPem),
                    "keeping the current TLS certificate; the new files cannot be used yet: " + e.getMessage());
        }
    }

    /** One warning per distinct problem, not one per check. */
    private void warnOnce(PemFiles files, byte[] problem, String warning) {
        if (!Arrays.equals(problem, lastProblem)) {
            lastProblem = problem;
            LOG.atWarn().addKeyValue("file", files.certificate()).log(warning);
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new TlsMaterialException(file + ": no such file", e);
        } catch (IOException e) {
            throw new TlsMaterialException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }
}
