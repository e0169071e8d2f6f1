package dev.bootsource.operator;

import dev.bootsource.cluster.ClusterView;
import dev.bootsource.policy.BootSourcePolicy;
import dev.bootsource.policy.CdiManagement;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The running operator: informer caches, the StorageProfile controller, the golden-snapshot cleaner,
 * events, metrics and health.
 *
 * <p>It never crashes on a cluster that lacks CDI or the snapshot CRDs: the caches wait for them (and say
 * so in the log and in /readyz). The controller starts once StorageProfiles can be listed (its informer
 * caches them for the view too) and decides only once StorageClasses, VolumeSnapshotClasses and
 * StorageProfiles are all cached, so no decision is ever made on a half-filled cache.
 */
public final class BootSourceOperator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BootSourceOperator.class);
    private static final Duration SUPERVISE_EVERY = Duration.ofMillis(500);

    private final KubernetesClient client;
    private final OperatorSettings settings;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final InformerClusterView cluster;
    private final ProfileEvents events;
    private final StorageProfileReconciler reconciler;
    private final BootSourcePolicy policy;
    private final GoldenSnapshotMigration goldenSnapshotMigration;
    private volatile CdiManagement cdi;
    private final ScheduledExecutorService supervisor;
    private final List<Supplier<Optional<String>>> livenessChecks = new CopyOnWriteArrayList<>();
    private HealthServer healthServer;
    private volatile ProfileController controller;
    /** The next controller, set up ahead while its inputs are discovered; only the supervisor touches it. */
    private ProfileController nextController;
    private volatile String controllerProblem;
    private volatile boolean started;
    private volatile boolean closed;

    public BootSourceOperator(KubernetesClient client, BootSourcePolicy policy, OperatorSettings settings) {
        this(client, new InformerClusterView(client, settings.apiRecheckPeriod()), policy, settings);
    }

    /**
     * With caches the caller made, and may have started already so that they fill while the rest is set
     * up; the operator owns them from now on and closes them with itself.
     */
    public BootSourceOperator(KubernetesClient client, InformerClusterView cluster, BootSourcePolicy policy,
                              OperatorSettings settings) {
        this.client = client;
        this.settings = settings;
        OperatorMetrics metrics = new OperatorMetrics(registry);
        this.cluster = cluster;
        this.events = new ProfileEvents(client, settings.lease().identity(), metrics, Clock.systemUTC());
        this.policy = policy;
        ClusterWriter writer = new ClusterWriter(client);
        this.reconciler = new StorageProfileReconciler(cluster, policy, writer, events, metrics);
        // Deletes only while this replica holds the Lease (the same gate as the StorageProfile controller),
        // confirmed against the API server right before each delete.
        LeadershipCheck leadership = new LeadershipCheck(client, settings.lease(), this::isElecting, this::isLeading,
                Clock.systemUTC());
        this.goldenSnapshotMigration = new GoldenSnapshotMigration(client, writer, cluster, policy, events, metrics,
                leadership, settings.resyncPeriod(), Clock.systemUTC());
        this.supervisor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "bootsource-supervisor");
            thread.setDaemon(true);
            return thread;
        });
        metrics.gauge("bootsource.leader", "1 while this replica reconciles (holds the Lease)", this::isLeading);
        metrics.gauge("bootsource.ready", "1 while this replica is ready (policy inputs cached, controller running)",
                this::isReady);
        metrics.gauge("bootsource.cdi.manages.boot.sources",
                "1 while CDI (v1.65.0 or later) manages boot-source storage itself, 0 while BootSource enforces it",
                () -> cdi != null && cdi.managesBootSources());
        metrics.count("bootsource.profiles.with.warnings", "StorageProfiles with policy warnings now",
                events::profilesWithWarnings);
        metrics.count("bootsource.dataimportcrons.importing",
                "DataImportCrons with an import in progress (Progressing, or not UpToDate)",
                () -> (int) cluster.dataImportCrons().stream().filter(c -> c.isProgressing() || !c.isUpToDate()).count());
        cluster.status().forEach(status -> metrics.resourceGauge(status.api(), () -> cluster.status().stream()
                .anyMatch(s -> s.api().equals(status.api()) && s.state() == ResourceState.SYNCED)));
    }

    /** Starts the health server and the caches; the controller follows once its inputs are cached. */
    public synchronized void start() {
        if (started || closed) {
            return;
        }
        started = true;
        if (settings.healthPort() >= 0) {
            healthServer = new HealthServer(settings.healthPort(), this::liveness, this::readiness, registry);
        }
        // The controller starts as soon as the policy inputs are being listed, not at the next periodic check.
        cluster.onStateChange(this::superviseNow);
        cluster.start();
        goldenSnapshotMigration.start();
        supervisor.scheduleWithFixedDelay(this::supervise, 0, SUPERVISE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Another condition of /healthz, e.g. the admission webhook answering its self-probe: a problem fails it. */
    public void addLivenessCheck(Supplier<Optional<String>> check) {
        livenessChecks.add(check);
    }

    /** The live cluster state, for the admission webhook to decide on. */
    public ClusterView clusterView() {
        return cluster;
    }

    public InformerClusterView informerClusterView() {
        return cluster;
    }

    /** The port /metrics, /healthz and /readyz are served on, if they are. */
    public OptionalInt healthPort() {
        return healthServer == null ? OptionalInt.empty() : OptionalInt.of(healthServer.port());
    }

    public PrometheusMeterRegistry metricsRegistry() {
        return registry;
    }

    /** Policy inputs cached and the controller running (as leader or candidate). */
    public boolean isReady() {
        return controller != null && cluster.policyInputsSynced();
    }

    /** True while the Lease decides who reconciles: leader election is on and working. */
    private boolean isElecting() {
        ProfileController current = controller;
        return current != null && current.isElecting();
    }

    /** True while this replica reconciles. */
    public boolean isLeading() {
        ProfileController current = controller;
        return current != null && current.isLeading();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        supervisor.shutdownNow();
        try {
            supervisor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (nextController != null) {
            nextController.close();
            nextController = null;
        }
        goldenSnapshotMigration.close();
        stopController();
        events.close();
        cluster.close();
        if (healthServer != null) {
            healthServer.close();
        }
        registry.close();
        log.atInfo().log("stopped");
    }

    private void superviseNow() {
        try {
            supervisor.execute(this::supervise);
        } catch (RejectedExecutionException stopping) {
            // closed meanwhile: nothing left to start
        }
    }

    private void supervise() {
        try {
            if (closed) {
                return;
            }
            watchCdiMode();
            if (controller != null) {
                // The SDK says so when it starts its other event sources; after a start-up timeout it did not,
                // so ask until its informer catches up.
                if (!cluster.policyInputsSynced() && controller.hasListedProfiles()) {
                    cluster.storageProfilesListedByController();
                }
                return;
            }
            if (nextController == null) {
                nextController = new ProfileController(client, reconciler, settings, cluster.storageProfileStore(),
                        this::leadershipLost);
            }
            if (!cluster.storageProfilesListable()) {
                // The StorageProfile cache has logged which CRD or permission it waits for.
                return;
            }
            // The controller's informer lists the StorageProfiles for the view too; it decides once every input is cached.
            log.atInfo().log("StorageProfiles can be listed; starting the StorageProfile controller, which caches them");
            ProfileController next = nextController;
            nextController = null;
            try {
                next.start();
            } catch (RuntimeException e) {
                next.close();
                throw e;
            }
            controller = next;
            controllerProblem = null;
        } catch (RuntimeException e) {
            String problem = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (!problem.equals(controllerProblem)) {
                log.atError().setCause(e).log("cannot start the StorageProfile controller; retrying: " + problem);
            }
            controllerProblem = problem;
        }
    }

    /** Says so in the log whenever what BootSource knows of CDI changes whether CDI manages boot sources. */
    private void watchCdiMode() {
        if (!cluster.policyInputsSynced()) {
            return;
        }
        CdiManagement now = policy.cdiManagement(cluster);
        CdiManagement before = cdi;
        cdi = now;
        if (before == null || before.managesBootSources() != now.managesBootSources()) {
            log.atInfo().addKeyValue("cdiManagesBootSources", now.managesBootSources()).addKeyValue("reason", now.reason())
                    .log(now.managesBootSources()
                            ? "CDI manages boot sources: golden snapshots follow CDI's class, none is deleted by BootSource, "
                            + "VolumeSnapshots are not mutated"
                            : "CDI does not manage boot sources: BootSource's snapshot class is enforced for golden snapshots");
        }
    }

    private void leadershipLost() {
        // Called on the leader-election thread; stopping the SDK from there would wait on itself.
        supervisor.execute(this::stopController);
    }

    private synchronized void stopController() {
        ProfileController current = controller;
        controller = null;
        if (current != null) {
            current.close();
            cluster.storageProfilesControllerStopped();
        }
    }

    private HealthServer.Check liveness() {
        ProfileController current = controller;
        if (current != null && current.failure().isPresent()) {
            return new HealthServer.Check(false, current.failure().get());
        }
        for (Supplier<Optional<String>> check : livenessChecks) {
            Optional<String> problem = check.get();
            if (problem.isPresent()) {
                return new HealthServer.Check(false, problem.get());
            }
        }
        return new HealthServer.Check(true, "");
    }

    private HealthServer.Check readiness() {
        StringBuilder detail = new StringBuilder();
        for (ResourceStatus status : cluster.status()) {
            detail.append(status.api()).append(": ").append(status.state()).append(" - ").append(status.detail()).append('\n');
        }
        CdiManagement known = cdi;
        detail.append("cdi: ").append(known == null ? "not known yet (waiting for the policy inputs)"
                : known.summary() + " - " + known.reason()).append('\n');
        ProfileController current = controller;
        if (current == null) {
            detail.append("controller: not started")
                    .append(controllerProblem == null ? " (waiting until StorageProfiles can be listed, above)" : " (" + controllerProblem + ")");
        } else {
            detail.append("controller: ").append(!cluster.policyInputsSynced() ? "started, deciding once the policy inputs above are cached"
                    : current.isLeading() ? "reconciling" : "standby (another replica holds the Lease)");
        }
        return new HealthServer.Check(isReady(), detail.toString());
    }
}
