package dev.bootsource.operator;

import dev.bootsource.errors.ErrorMessages;
import dev.bootsource.model.StorageProfile;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaderElectionRecord;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.javaoperatorsdk.operator.LeaderElectionManager;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.OperatorException;
import io.javaoperatorsdk.operator.api.config.Cloner;
import io.javaoperatorsdk.operator.api.config.ConfigurationServiceOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.javaoperatorsdk.operator.health.InformerHealthIndicator;
import io.javaoperatorsdk.operator.health.InformerWrappingEventSourceHealthIndicator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One run of the Java Operator SDK with the StorageProfile reconciler.
 *
 * <p>With leader election on, every replica starts its caches and only the Lease holder reconciles. A
 * replica that loses the Lease (say, it could not renew while the API server was away) stops reconciling
 * at once and reports it through {@code onLeadershipLost}, so its owner can start a fresh candidate; it
 * never goes on reconciling beside a new leader. On a clean shutdown the leader shortens its Lease to one
 * second, so the next replica takes over at once instead of waiting for the Lease to expire.
 *
 * <p>If this replica may not use the Lease at all (RBAC), leader election degrades to off with a warning:
 * every such replica reconciles. Writes stay correct (merge patches guarded by resourceVersion, idempotent
 * creation), but events may be doubled; run one replica or grant the Lease Role.
 */
final class ProfileController implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProfileController.class);
    private static final Duration CACHE_SYNC_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration TERMINATION_TIMEOUT = Duration.ofSeconds(10);

    private static final Cloner UNCOPIED = new Cloner() {
        @Override
        public <R extends HasMetadata> R clone(R object) {
            return object;
        }
    };

    private final KubernetesClient client;
    private final StorageProfileReconciler reconciler;
    private final OperatorSettings settings;
    private final Runnable onLeadershipLost;
    private final ItemStore<StorageProfile> profileStore;
    private volatile boolean leading;
    private volatile boolean closing;
    private volatile String failure;
    private Operator operator;
    private boolean electing;

    /**
     * Sets the SDK up without starting it, which takes a while: done ahead of {@link #start()}, it overlaps
     * with waiting for the API server.
     *
     * @param profileStore where the SDK's informer keeps the StorageProfiles: BootSource's view reads them
     *                     there too, and the store outlives this run
     */
    ProfileController(KubernetesClient client, StorageProfileReconciler reconciler, OperatorSettings settings,
                      ItemStore<StorageProfile> profileStore, Runnable onLeadershipLost) {
        this.client = client;
        this.reconciler = reconciler;
        this.settings = settings;
        this.profileStore = profileStore;
        this.onLeadershipLost = onLeadershipLost;
        this.operator = build(settings.lease().enabled() ? Optional.of(leaderElection(settings.lease())) : Optional.empty());
    }

    synchronized void start() {
        LeaseSettings lease = settings.lease();
        if (lease.enabled()) {
            try {
                operator.start();
                electing = true;
                log.atInfo().addKeyValue("lease", lease.namespace() + "/" + lease.name())
                        .addKeyValue("identity", lease.identity())
                        .log("started as a candidate for the Lease; reconciling once it is held");
                return;
            } catch (OperatorException e) {
                if (!isLeaseRefusal(e)) {
                    throw e;
                }
                log.atWarn().addKeyValue("lease", lease.namespace() + "/" + lease.name())
                        .log("leader election is off: this replica may not use the Lease (" + ErrorMessages.rootCause(e)
                                + "); every replica reconciles. Run a single replica or grant the Lease Role");
                operator = build(Optional.empty());
            }
        }
        operator.start();
        leading = true;
        log.atInfo().log("reconciling StorageProfiles (no leader election)");
    }

    /** True while the Lease decides who reconciles (leader election on and working). */
    boolean isElecting() {
        return electing;
    }

    /** True while this replica reconciles. */
    boolean isLeading() {
        return leading;
    }

    /** True once this run's informer has listed the StorageProfiles; it keeps them current from then on. */
    synchronized boolean hasListedProfiles() {
        return operator != null && haveListed(operator.getRuntimeInfo().getRegisteredController(StorageProfileReconciler.NAME)
                .getControllerHealthInfo().informerEventSourceHealthIndicators().values());
    }

    /** True when the SDK's informer event sources have each listed their objects (and there is one at least). */
    static boolean haveListed(Collection<?> sources) {
        List<InformerHealthIndicator> informers = sources.stream()
                .filter(InformerWrappingEventSourceHealthIndicator.class::isInstance)
                .map(InformerWrappingEventSourceHealthIndicator.class::cast)
                .flatMap(source -> ((Map<?, ?>) source.informerHealthIndicators()).values().stream())
                .map(InformerHealthIndicator.class::cast)
                .toList();
        return !informers.isEmpty() && informers.stream().allMatch(InformerHealthIndicator::hasSynced);
    }

    /** Why this run cannot go on, if it cannot (a cache stopped for good). */
    Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    @Override
    public synchronized void close() {
        closing = true;
        boolean heldLease = electing && leading;
        leading = false;
        if (operator != null) {
            operator.stop();
            operator = null;
        }
        if (heldLease) {
            releaseLease();
        }
    }

    private Operator build(Optional<LeaderElectionConfiguration> leaderElection) {
        Operator built = new Operator((ConfigurationServiceOverrider overrider) -> {
            overrider.withKubernetesClient(client)
                    .withCloseClientOnStop(false)
                    .withConcurrentReconciliationThreads(settings.reconcileThreads())
                    .withStopOnInformerErrorDuringStartup(false)
                    .withCacheSyncTimeout(CACHE_SYNC_TIMEOUT)
                    .withReconciliationTerminationTimeout(TERMINATION_TIMEOUT)
                    // The reconciler only reads the profile it is handed and never has the SDK write it back,
                    // so the SDK's defensive copy (a JSON round trip per reconcile) buys nothing.
                    .withResourceCloner(UNCOPIED)
                    // The SDK's default handler exits the JVM; BootSource reports through /healthz instead.
                    .withInformerStoppedHandler((informer, error) -> {
                        if (error != null && informer.hasSynced() && !closing) {
                            failure = "the StorageProfile cache stopped: " + ErrorMessages.rootCause(error);
                            log.atError().log(failure);
                        }
                    });
            leaderElection.ifPresent(overrider::withLeaderElectionConfiguration);
        });
        built.register(reconciler, override -> override
                .withName(StorageProfileReconciler.NAME)
                .withGenerationAware(false)
                .withReconciliationMaxInterval(settings.resyncPeriod())
                // The view reads the profiles from this store too: listed and decoded once, not twice.
                .withItemStore(profileStore));
        return built;
    }

    private LeaderElectionConfiguration leaderElection(LeaseSettings lease) {
        return LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(lease.name())
                .withLeaseNamespace(lease.namespace())
                .withIdentity(lease.identity())
                .withLeaseDuration(lease.leaseDuration())
                .withRenewDeadline(lease.renewDeadline())
                .withRetryPeriod(lease.retryPeriod())
                // Exiting is the SDK's way to stop a former leader; BootSource stops reconciling in-process.
                .withExitOnStopLeading(false)
                .withLeaderCallbacks(new LeaderCallbacks(this::startedLeading, this::stoppedLeading, this::newLeader))
                .build();
    }

    private void startedLeading() {
        leading = true;
        log.atInfo().addKeyValue("identity", settings.lease().identity()).log("acquired the Lease; reconciling StorageProfiles");
    }

    private void stoppedLeading() {
        boolean wasLeading = leading;
        leading = false;
        if (!closing && wasLeading) {
            log.atWarn().addKeyValue("identity", settings.lease().identity())
                    .log("lost the Lease; stopped reconciling and standing again as a candidate");
            onLeadershipLost.run();
        }
    }

    private void newLeader(String identity) {
        log.atInfo().addKeyValue("leader", identity).log("leader observed");
    }

    private void releaseLease() {
        LeaseSettings lease = settings.lease();
        try {
            LeaseLock lock = new LeaseLock(lease.namespace(), lease.name(), lease.identity());
            LeaderElectionRecord current = lock.get(client);
            if (current == null || !lease.identity().equals(current.getHolderIdentity())) {
                return;
            }
            ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
            lock.update(client, new LeaderElectionRecord(lease.identity(), Duration.ofSeconds(1), now, now,
                    current.getLeaderTransitions()));
            log.atInfo().addKeyValue("lease", lease.namespace() + "/" + lease.name()).log("released the Lease");
        } catch (KubernetesClientException e) {
            log.atWarn().log("could not release the Lease; the next leader waits for it to expire: " + ErrorMessages.rootCause(e));
        }
    }

    private static boolean isLeaseRefusal(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().startsWith(LeaderElectionManager.NO_PERMISSION_TO_LEASE_RESOURCE_MESSAGE)) {
                return true;
            }
            if (t instanceof KubernetesClientException e && (e.getCode() == 403 || e.getCode() == 404)) {
                return true;
            }
        }
        return false;
    }
}
