package dev.bootsource.cli;

import dev.bootsource.input.LeanSerialization;
import dev.bootsource.errors.InvalidInputException;
import dev.bootsource.operator.BootSourceOperator;
import dev.bootsource.operator.InformerClusterView;
import dev.bootsource.operator.LeaseSettings;
import dev.bootsource.operator.OperatorSettings;
import dev.bootsource.policy.BootSourcePolicy;
import dev.bootsource.webhook.WebhookServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;

/**
 * {@code run}: the operator against the current kubeconfig or in-cluster config, until the process is
 * told to stop (SIGTERM or Ctrl-C).
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run the operator: keep every StorageProfile's boot-source annotations right, create "
                + "boot-source VolumeSnapshotClasses, serve /metrics, /healthz and /readyz. Uses the current "
                + "kubeconfig context (or --kubeconfig/--context), or the in-cluster config in a pod; logs which server it talks to."})
final class RunCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

    @Mixin
    PolicyOptionsMixin policyOptions;

    @Mixin
    WebhookCertificateOptions webhookCertificates;

    @Mixin
    KubeconfigOptions kubeconfig;

    @Option(names = "--metrics-port", paramLabel = "PORT", defaultValue = "" + OperatorSettings.DEFAULT_HEALTH_PORT,
            description = "Plain-HTTP port for /metrics, /healthz and /readyz (default: ${DEFAULT-VALUE}).")
    int metricsPort;

    @Option(names = "--webhook-port", paramLabel = "PORT", defaultValue = "8443",
            description = "HTTPS port of the admission webhook (default: ${DEFAULT-VALUE}).")
    int webhookPort;

    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = "PEM certificate (chain) of the webhook; with --tls-key. Without both, a self-signed one.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM private key of the webhook; with --tls-cert.")
    Path tlsKey;

    @Option(names = "--address", paramLabel = "HOST",
            description = "Interface the webhook listens on, a host name or IP address (default: all interfaces).")
    String address;

    @Option(names = "--client-ca", paramLabel = "FILE",
            description = "PEM CA certificate(s): the webhook then requires a client certificate they signed (the API server's).")
    Path clientCa;

    @Option(names = "--leader-election", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Reconcile on one replica at a time through a Lease (default: ${DEFAULT-VALUE}).")
    boolean leaderElection = true;

    @Option(names = "--lease-name", paramLabel = "NAME", defaultValue = LeaseSettings.DEFAULT_NAME,
            description = "Name of the leader-election Lease (default: ${DEFAULT-VALUE}).")
    String leaseName;

    @Option(names = "--lease-namespace", paramLabel = "NAMESPACE",
            description = "Namespace of the Lease (default: $POD_NAMESPACE, else the client's namespace).")
    String leaseNamespace;

    @Option(names = "--resync-period", paramLabel = "DURATION", defaultValue = "10m", converter = Durations.Converter.class,
            description = "Reconcile every profile at least this often, as a safety net (default: ${DEFAULT-VALUE}).")
    Duration resyncPeriod;

    @Option(names = "--reconcile-threads", paramLabel = "N", defaultValue = "" + OperatorSettings.DEFAULT_RECONCILE_THREADS,
            description = "StorageProfiles reconciled in parallel (default: ${DEFAULT-VALUE}).")
    int reconcileThreads;

    @Override
    public Integer call() throws InterruptedException {
        WebhookServer.Settings webhook = webhookSettings();
        // Start-up is mostly single-threaded work (reading files, first use of each library): the policy is
        // read on another core while the client connects and the caches start filling.
        CompletableFuture<BootSourcePolicy> policyRead = CompletableFuture.supplyAsync(policyOptions::policy);
        io.fabric8.kubernetes.client.Config config = kubeconfig.config();
        log.atInfo().log("API server: " + KubeconfigOptions.describe(config));
        KubernetesClient client = LeanSerialization.client(config);
        OperatorSettings settings = operatorSettings(client);
        InformerClusterView cluster = new InformerClusterView(client, settings.apiRecheckPeriod());
        cluster.start();
        BootSourcePolicy policy;
        try {
            policy = policyRead.join();
        } catch (CompletionException e) {
            cluster.close();
            client.close();
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        BootSourceOperator operator = new BootSourceOperator(client, cluster, policy, settings);
        CountDownLatch stopped = new CountDownLatch(1);
        // What runs, stopped last-started-first on shutdown or when starting the rest fails.
        Deque<AutoCloseable> running = new ArrayDeque<>(List.of(operator, client));
        // The caches fill in the background while the webhook's certificate and server are set up.
        operator.start();
        try {
            webhookCertificates.start(client, leaseNamespace(client), tlsCert, tlsKey).ifPresent(running::push);
            WebhookServer webhookServer = startWebhook(webhook, operator, policy);
            running.push(webhookServer);
            // /healthz fails when the webhook cannot complete a handshake and a review of its own.
            operator.addLivenessCheck(webhookServer::livenessProblem);
        } catch (RuntimeException e) {
            stopAll(running);
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.atInfo().log("stopping");
            stopAll(running);
            stopped.countDown();
        }, "bootsource-shutdown"));
        stopped.await();
        return 0;
    }

    /** Starts the admission webhook on this replica, deciding from the operator's live cluster view. */
    private WebhookServer startWebhook(WebhookServer.Settings settings, BootSourceOperator operator, BootSourcePolicy policy) {
        return WebhookServer.start(settings, operator.clusterView(), policy, operator.metricsRegistry());
    }

    /** Where the admission webhook listens, with which certificate, and whose client certificates it requires. */
    private WebhookServer.Settings webhookSettings() {
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new InvalidInputException("--tls-cert and --tls-key go together: give both, or neither for a self-signed certificate");
        }
        return new WebhookServer.Settings(Optional.ofNullable(address), webhookPort, Optional.ofNullable(tlsCert),
                Optional.ofNullable(tlsKey), Optional.ofNullable(clientCa));
    }

    private OperatorSettings operatorSettings(KubernetesClient client) {
        LeaseSettings lease = leaderElection
                ? LeaseSettings.standard(leaseName, leaseNamespace(client), LeaseSettings.defaultIdentity())
                : LeaseSettings.disabled();
        return new OperatorSettings(metricsPort, lease, resyncPeriod, OperatorSettings.DEFAULT_API_RECHECK, reconcileThreads);
    }

    private String leaseNamespace(KubernetesClient client) {
        return Optional.ofNullable(leaseNamespace)
                .or(() -> Optional.ofNullable(System.getenv("POD_NAMESPACE")))
                .or(() -> Optional.ofNullable(client.getNamespace()))
                .filter(namespace -> !namespace.isBlank())
                .orElse("bootsource");
    }

    private static void stopAll(Deque<AutoCloseable> running) {
        while (!running.isEmpty()) {
            AutoCloseable next = running.pop();
            try {
                next.close();
            } catch (Exception e) {
                log.atWarn().log("stopping " + next.getClass().getSimpleName() + " failed: " + e.getMessage());
            }
        }
    }
}
