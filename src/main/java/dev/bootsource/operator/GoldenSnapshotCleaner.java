package dev.bootsource.operator;

import dev.bootsource.cluster.ClusterView;
import dev.bootsource.cluster.ForwardingClusterView;
import dev.bootsource.model.VolumeSnapshot;
import dev.bootsource.policy.BootSourcePolicy;
import dev.bootsource.policy.GoldenSnapshotDecision;
import dev.bootsource.policy.GoldenSnapshotMode;
import dev.bootsource.policy.GoldenSnapshotPolicy;
import io.fabric8.kubernetes.api.model.StatusDetails;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Applies the golden-snapshot policy (SPEC §5): on the leader only, deletes each CRON-labelled
 * VolumeSnapshot the policy names {@code recreate}, so CDI re-imports it onto the boot-source class.
 *
 * <p>A pass decides on the informer caches and runs when anything the decision reads changes (debounced
 * to at most one pass per {@link #DEBOUNCE}), when this replica becomes the leader, and every resync period
 * as a safety net. Only {@code auto} starts it; in {@code dry-run} and {@code off} nothing is ever deleted.
 * While the DataImportCron or VolumeSnapshot caches are missing or forbidden (logged once by their
 * {@link WatchedResource}), no pass runs.
 *
 * <p>Each deletion carries a resourceVersion precondition, so a snapshot that changed since the decision is
 * never deleted: the API server answers 409 and the next pass decides again. A resourceVersion is never
 * shared by two objects, so the precondition also pins the uid the decision saw. After a deletion no
 * further pass deletes anything until the cache shows that snapshot being deleted or gone, so the
 * policy's in-flight limit always counts it.
 */
final class GoldenSnapshotCleaner implements AutoCloseable {

    static final Duration DEBOUNCE = Duration.ofSeconds(1);
    /** How long a deletion the cache has not shown yet holds further deletions back. */
    private static final Duration UNSEEN_DELETION_HOLD = Duration.ofMinutes(1);
    private static final Duration RETRY_AFTER_ERROR = Duration.ofSeconds(30);
    private static final Logger log = LoggerFactory.getLogger(GoldenSnapshotCleaner.class);

    private final KubernetesClient client;
    private final InformerClusterView cluster;
    private final BootSourcePolicy policy;
    private final GoldenSnapshotPolicy goldenSnapshots;
    private final ProfileEvents events;
    private final OperatorMetrics metrics;
    private final BooleanSupplier leading;
    private final Duration resyncPeriod;
    private final Clock clock;
    /** uid of each snapshot deleted whose deletion the cache has not shown yet, and when it was deleted. */
    private final Map<String, Instant> unseenDeletions = new ConcurrentHashMap<>();
    private ScheduledExecutorService executor;
    private Runnable removeHook;
    private volatile boolean dirty;
    private boolean wasLeading;
    private boolean announced;
    private Instant nextResync = Instant.MIN;
    private String lastProblem;

    GoldenSnapshotCleaner(KubernetesClient client, InformerClusterView cluster, BootSourcePolicy policy,
                          ProfileEvents events, OperatorMetrics metrics, BooleanSupplier leading,
                          Duration resyncPeriod, Clock clock) {
        this.client = client;
        this.cluster = cluster;
        this.policy = policy;
        this.goldenSnapshots = new GoldenSnapshotPolicy(policy);
        this.events = events;
        this.metrics = metrics;
        this.leading = leading;
        this.resyncPeriod = resyncPeriod;
        this.clock = clock;
    }

    synchronized void start() {
        if (executor != null) {
            return;
        }
        GoldenSnapshotMode mode = policy.options().goldenSnapshots();
        if (mode != GoldenSnapshotMode.AUTO) {
            log.atInfo().addKeyValue("mode", mode.label())
                    .log("golden snapshots are not deleted; `bootsource plan` reports the stale ones");
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "bootsource-golden-snapshots");
            thread.setDaemon(true);
            return thread;
        });
        removeHook = cluster.onGoldenSnapshotInputChange(() -> dirty = true);
        executor.scheduleWithFixedDelay(this::tick, DEBOUNCE.toMillis(), DEBOUNCE.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void close() {
        if (removeHook != null) {
            removeHook.run();
            removeHook = null;
        }
        if (executor != null) {
            executor.shutdownNow();
            try {
                executor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            executor = null;
        }
    }

    /** Runs on the cleaner's thread once per {@link #DEBOUNCE}: a pass when one is due, else nothing. */
    private void tick() {
        try {
            if (!leading.getAsBoolean()) {
                wasLeading = false;
                return;
            }
            Instant now = clock.instant();
            if (!wasLeading || !now.isBefore(nextResync)) {
                dirty = true;
            }
            wasLeading = true;
            if (!dirty || !cluster.goldenSnapshotInputsSynced()) {
                // Not due, or a cache is missing: its WatchedResource has said why; the pass stays due.
                return;
            }
            if (!announced) {
                announced = true;
                log.atInfo().addKeyValue("maxInFlight", policy.options().maxGoldenSnapshotDeletions())
                        .log("golden-snapshot inputs are cached; stale golden snapshots are deleted so CDI re-imports them");
            }
            dirty = false;
            nextResync = now.plus(resyncPeriod);
            pass(now);
        } catch (RuntimeException e) {
            metrics.failed("golden-snapshot");
            problem("golden-snapshot pass failed; retrying: " + e.getMessage());
            nextResync = clock.instant().plus(RETRY_AFTER_ERROR);
        }
    }

    private void pass(Instant now) {
        List<VolumeSnapshot> snapshots = List.copyOf(cluster.dataImportCronSnapshots());
        unseenDeletions.entrySet().removeIf(unseen -> now.isAfter(unseen.getValue().plus(UNSEEN_DELETION_HOLD))
                || snapshots.stream().noneMatch(s -> unseen.getKey().equals(s.getMetadata().getUid()) && !s.isBeingDeleted()));
        if (!unseenDeletions.isEmpty()) {
            // The cache has not shown an earlier deletion yet; the policy could not count it as in flight.
            dirty = true;
            return;
        }
        Map<String, VolumeSnapshot> byKey = snapshots.stream()
                .collect(Collectors.toMap(GoldenSnapshotCleaner::key, Function.identity(), (a, b) -> a));
        // The policy decides on exactly these snapshot objects, so each deletion names the version it saw.
        ClusterView decidedOn = new ForwardingClusterView() {
            @Override
            protected ClusterView delegate() {
                return cluster;
            }

            @Override
            public Collection<VolumeSnapshot> dataImportCronSnapshots() {
                return snapshots;
            }
        };
        for (GoldenSnapshotDecision decision : goldenSnapshots.decide(decidedOn)) {
            if (decision.op() != GoldenSnapshotDecision.Op.RECREATE) {
                continue;
            }
            VolumeSnapshot snapshot = byKey.get(decision.namespace() + "/" + decision.name());
            if (snapshot != null) {
                delete(snapshot, decision, now);
            }
        }
    }

    private void delete(VolumeSnapshot snapshot, GoldenSnapshotDecision decision, Instant now) {
        String resourceVersion = snapshot.getMetadata().getResourceVersion();
        try {
            List<StatusDetails> deleted = client.resources(VolumeSnapshot.class)
                    .inNamespace(decision.namespace())
                    .withName(decision.name())
                    .lockResourceVersion(resourceVersion)
                    .delete();
            if (deleted.isEmpty()) {
                log.atDebug().addKeyValue("namespace", decision.namespace()).addKeyValue("name", decision.name())
                        .log("golden snapshot already gone");
                return;
            }
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return;
            }
            if (e.getCode() == 409) {
                log.atInfo().addKeyValue("namespace", decision.namespace()).addKeyValue("name", decision.name())
                        .log("golden snapshot changed since it was decided on; not deleted, deciding again");
                dirty = true;
                return;
            }
            metrics.failed("golden-snapshot");
            problem((e.getCode() == 403 ? "RBAC forbids deleting VolumeSnapshots; stale golden snapshots stay: "
                    : "could not delete a stale golden snapshot; retrying: ") + e.getMessage());
            nextResync = now.plus(RETRY_AFTER_ERROR);
            return;
        }
        lastProblem = null;
        unseenDeletions.put(snapshot.getMetadata().getUid(), now);
        metrics.deletedGoldenSnapshot();
        log.atInfo()
                .addKeyValue("namespace", decision.namespace())
                .addKeyValue("name", decision.name())
                .addKeyValue("dataImportCron", decision.dataImportCron())
                .addKeyValue("currentClass", decision.currentClass().orElse(""))
                .addKeyValue("desiredClass", decision.desiredClass().orElse(""))
                .addKeyValue("reason", decision.reason())
                .log("deleted stale golden snapshot");
        events.recreatedGoldenSnapshot(snapshot, "deleted: " + decision.reason());
    }

    private void problem(String message) {
        String firstLine = Objects.toString(message, "").lines().findFirst().orElse("");
        if (!firstLine.equals(lastProblem)) {
            log.atWarn().log(firstLine);
        }
        lastProblem = firstLine;
    }

    private static String key(VolumeSnapshot snapshot) {
        return snapshot.getMetadata().getNamespace() + "/" + snapshot.getMetadata().getName();
    }
}
