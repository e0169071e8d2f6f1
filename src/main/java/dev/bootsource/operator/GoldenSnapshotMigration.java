package dev.bootsource.operator;

import dev.bootsource.cluster.ClusterView;
import dev.bootsource.cluster.ForwardingClusterView;
import dev.bootsource.model.DataImportCron;
import dev.bootsource.model.Keys;
import dev.bootsource.model.RecreationRecord;
import dev.bootsource.model.StorageProfile;
import dev.bootsource.model.VolumeSnapshot;
import dev.bootsource.policy.BootSourcePolicy;
import dev.bootsource.policy.CdiManagement;
import dev.bootsource.policy.DefaultStorageClass;
import dev.bootsource.policy.GoldenSnapshotDecision;
import dev.bootsource.policy.GoldenSnapshotDecision.BlockReason;
import dev.bootsource.policy.GoldenSnapshotMode;
import dev.bootsource.policy.GoldenSnapshotPolicy;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Moves golden snapshots onto their expected class (spec §5) on the leader: each one the policy names
 * {@code recreate} is deleted so CDI re-imports it, and every stale one held back is reported.
 *
 * <p>A pass decides on the informer caches and runs when anything the decision reads changes (debounced
 * to at most one pass per {@link #DEBOUNCE}), when this replica becomes the leader, and every resync
 * period. Before a delete, leadership is checked again against the Lease on the API server; the snapshot,
 * its cron and its profile are read from the API server and the decision is taken again on them; the
 * recreation is recorded on the cron (so it survives restarts and leader changes and a second one in vain
 * is refused); the delete carries uid and resourceVersion preconditions. With leader election on but not
 * working, nothing is deleted. Records whose cron's snapshot reached the expected class are cleared.
 */
final class GoldenSnapshotMigration implements AutoCloseable {

    static final Duration DEBOUNCE = Duration.ofSeconds(1);
    /** How long a recreation the cache has not shown yet holds further recreations back. */
    private static final Duration UNSEEN_RECREATION_HOLD = Duration.ofMinutes(1);
    private static final Duration RETRY_AFTER_ERROR = Duration.ofSeconds(30);
    private static final Logger log = LoggerFactory.getLogger(GoldenSnapshotMigration.class);

    private final KubernetesClient client;
    private final ClusterWriter writer;
    private final InformerClusterView cluster;
    private final BootSourcePolicy policy;
    private final GoldenSnapshotPolicy goldenSnapshots;
    private final ProfileEvents events;
    private final OperatorMetrics metrics;
    private final LeadershipCheck leadership;
    private final Duration resyncPeriod;
    private final Clock clock;
    /** uid of each snapshot deleted whose deletion (and record) the cache has not shown yet, and when. */
    private final Map<String, Instant> unseenRecreations = new ConcurrentHashMap<>();
    /** Each stale snapshot held back, by uid, and the reason already reported for it. */
    private final Map<String, BlockReason> reportedBlocks = new HashMap<>();
    private ScheduledExecutorService executor;
    private Runnable removeHook;
    private volatile boolean dirty;
    private boolean wasLeading;
    private Instant nextResync = Instant.MIN;
    private String lastProblem;

    GoldenSnapshotMigration(KubernetesClient client, ClusterWriter writer, InformerClusterView cluster,
                            BootSourcePolicy policy, ProfileEvents events, OperatorMetrics metrics,
                            LeadershipCheck leadership, Duration resyncPeriod, Clock clock) {
        this.client = client;
        this.writer = writer;
        this.cluster = cluster;
        this.policy = policy;
        this.goldenSnapshots = new GoldenSnapshotPolicy(policy);
        this.events = events;
        this.metrics = metrics;
        this.leadership = leadership;
        this.resyncPeriod = resyncPeriod;
        this.clock = clock;
    }

    synchronized void start() {
        if (executor != null) {
            return;
        }
        GoldenSnapshotMode mode = policy.options().goldenSnapshots();
        log.atInfo().addKeyValue("mode", mode.label()).addKeyValue("maxInFlight", policy.options().maxGoldenSnapshotDeletions())
                .log(mode == GoldenSnapshotMode.AUTO
                        ? "stale golden snapshots are recreated one safe step at a time once their inputs are cached"
                        : "golden snapshots are not deleted; stale ones are reported (metrics, events, `bootsource plan`)");
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

    /** Runs on the migration's thread once per {@link #DEBOUNCE}: a pass when one is due, else nothing. */
    private void tick() {
        try {
            if (leadership.refusalWithoutLease().isPresent()) {
                if (wasLeading) {
                    metrics.goldenSnapshotsBlocked(Map.of());
                    reportedBlocks.clear();
                }
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
        // The policy decides on exactly these snapshot objects, so a recreation names the version it saw.
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
        CdiManagement cdi = policy.cdiManagement(decidedOn);
        List<GoldenSnapshotDecision> decisions = goldenSnapshots.decide(decidedOn, cdi).stream()
                .map(d -> d.op() == GoldenSnapshotDecision.Op.RECREATE && !leadership.electionWorking()
                        ? d.blocked(BlockReason.NO_LEADER_ELECTION, "leader election is on but not working, so "
                        + "nothing is deleted (grant the Lease Role, or run one replica with --no-leader-election)")
                        : d)
                .toList();
        report(decisions, snapshots);

        unseenRecreations.entrySet().removeIf(unseen -> now.isAfter(unseen.getValue().plus(UNSEEN_RECREATION_HOLD))
                || snapshots.stream().noneMatch(s -> unseen.getKey().equals(s.getMetadata().getUid()) && !s.isBeingDeleted()));
        if (!unseenRecreations.isEmpty()) {
            // The cache has not shown an earlier recreation yet; the policy could not count it as in flight.
            dirty = true;
            return;
        }
        for (GoldenSnapshotDecision decision : decisions) {
            if (decision.op() == GoldenSnapshotDecision.Op.RECREATE) {
                snapshots.stream()
                        .filter(s -> s.getMetadata().getNamespace().equals(decision.namespace())
                                && s.getMetadata().getName().equals(decision.name()))
                        .findFirst()
                        .ifPresent(snapshot -> recreate(decidedOn, snapshot, now));
            }
        }
        if (policy.options().goldenSnapshots() == GoldenSnapshotMode.AUTO) {
            goldenSnapshots.recordsToClear(decidedOn, cdi).forEach(ref ->
                    cluster.dataImportCron(ref.namespace(), ref.name()).ifPresent(this::clearRecord));
        }
    }

    /** Metrics for every stale snapshot held back, and one event per snapshot and reason. */
    private void report(List<GoldenSnapshotDecision> decisions, List<VolumeSnapshot> snapshots) {
        Map<BlockReason, Integer> counts = new EnumMap<>(BlockReason.class);
        Map<String, BlockReason> blockedNow = new HashMap<>();
        for (GoldenSnapshotDecision decision : decisions) {
            if (decision.blockedBy().isEmpty()) {
                continue;
            }
            BlockReason why = decision.blockedBy().get();
            counts.merge(why, 1, Integer::sum);
            Optional<VolumeSnapshot> snapshot = snapshots.stream()
                    .filter(s -> s.getMetadata().getNamespace().equals(decision.namespace())
                            && s.getMetadata().getName().equals(decision.name()))
                    .findFirst();
            if (snapshot.isEmpty()) {
                continue;
            }
            String uid = snapshot.get().getMetadata().getUid();
            blockedNow.put(uid, why);
            if (reportedBlocks.get(uid) != why) {
                metrics.goldenSnapshotBlocked(why);
                if (why != BlockReason.MODE_OFF) {
                    HasMetadata involved = cluster.dataImportCron(decision.namespace(), decision.dataImportCron())
                            .<HasMetadata>map(cron -> cron).orElse(snapshot.get());
                    events.blockedGoldenSnapshot(involved, why, "snapshot " + decision.name() + " " + decision.reason());
                }
                log.atInfo().addKeyValue("namespace", decision.namespace()).addKeyValue("name", decision.name())
                        .addKeyValue("dataImportCron", decision.dataImportCron()).addKeyValue("blockedBy", why.label())
                        .log("stale golden snapshot held back: " + decision.reason());
            }
        }
        reportedBlocks.clear();
        reportedBlocks.putAll(blockedNow);
        metrics.goldenSnapshotsBlocked(counts);
    }

    private void recreate(ClusterView decidedOn, VolumeSnapshot cached, Instant now) {
        String namespace = cached.getMetadata().getNamespace();
        String name = cached.getMetadata().getName();
        String cronName = cached.getMetadata().getLabels().get(Keys.DATA_IMPORT_CRON_LABEL);
        Optional<String> refusal = leadership.refusal();
        if (refusal.isPresent()) {
            problem("golden snapshot " + namespace + "/" + name + " not deleted: " + refusal.get());
            dirty = true;
            return;
        }
        try {
            VolumeSnapshot snapshot = client.resources(VolumeSnapshot.class).inNamespace(namespace).withName(name).get();
            DataImportCron cron = client.resources(DataImportCron.class).inNamespace(namespace).withName(cronName).get();
            if (snapshot == null || cron == null) {
                dirty = true;
                return;
            }
            Optional<String> storageClassName = DefaultStorageClass.resolve(decidedOn, cron.templateStorageClassName())
                    .map(StorageClass::getMetadata).map(metadata -> metadata.getName());
            StorageProfile profile = storageClassName
                    .map(sc -> client.resources(StorageProfile.class).withName(sc).get())
                    .orElse(null);
            ClusterView fresh = new FreshObjectsView(decidedOn, snapshot, cron, storageClassName.orElse(""), profile);
            Optional<GoldenSnapshotDecision> again = goldenSnapshots.decide(fresh, policy.cdiManagement(fresh)).stream()
                    .filter(d -> d.namespace().equals(namespace) && d.name().equals(name))
                    .findFirst();
            if (again.isEmpty() || again.get().op() != GoldenSnapshotDecision.Op.RECREATE) {
                log.atInfo().addKeyValue("namespace", namespace).addKeyValue("name", name)
                        .log("decided again on the objects as the API server has them: not deleted ("
                                + again.map(d -> d.op().label() + ": " + d.reason()).orElse("no longer a golden snapshot") + ")");
                dirty = true;
                return;
            }
            GoldenSnapshotDecision decision = again.get();
            RecreationRecord record = new RecreationRecord(name, snapshot.getMetadata().getUid(),
                    decision.currentClass().orElse(""), decision.desiredClass().orElse(""), now.toString());
            // Recorded before the delete: a crash in between leaves a record the policy sees as void.
            writer.patchCronAnnotation(cron, Keys.RECREATION_RECORD, record.toJson());
            if (!writer.deleteExactly(snapshot)) {
                dirty = true;
                return;
            }
            lastProblem = null;
            unseenRecreations.put(snapshot.getMetadata().getUid(), now);
            metrics.recreatedGoldenSnapshot();
            log.atInfo()
                    .addKeyValue("namespace", namespace)
                    .addKeyValue("name", name)
                    .addKeyValue("dataImportCron", cronName)
                    .addKeyValue("currentClass", decision.currentClass().orElse(""))
                    .addKeyValue("desiredClass", decision.desiredClass().orElse(""))
                    .addKeyValue("reason", decision.reason())
                    .log("deleted stale golden snapshot so CDI re-imports it");
            events.recreatedGoldenSnapshot(cron, "deleted golden snapshot " + name + ": " + decision.reason());
        } catch (KubernetesClientException e) {
            dirty = true;
            if (e.getCode() == ClusterWriter.CONFLICT) {
                log.atInfo().addKeyValue("namespace", namespace).addKeyValue("name", name)
                        .log("golden snapshot or its DataImportCron changed since it was decided on; not deleted, deciding again");
                return;
            }
            metrics.failed("golden-snapshot");
            problem((e.getCode() == 403 ? "RBAC forbids a step of recreating golden snapshots (" + e.getMessage()
                    + "); stale golden snapshots stay" : "could not recreate a stale golden snapshot; retrying: " + e.getMessage()));
            nextResync = now.plus(RETRY_AFTER_ERROR);
        }
    }

    private void clearRecord(DataImportCron cron) {
        try {
            writer.patchCronAnnotation(cron, Keys.RECREATION_RECORD, null);
            log.atInfo().addKeyValue("namespace", cron.getMetadata().getNamespace())
                    .addKeyValue("dataImportCron", cron.getMetadata().getName())
                    .log("golden snapshot is on the expected class; recreation record cleared");
        } catch (KubernetesClientException e) {
            dirty = true;
            if (e.getCode() != ClusterWriter.CONFLICT) {
                metrics.failed("golden-snapshot");
                problem("could not clear the recreation record of DataImportCron " + cron.getMetadata().getNamespace()
                        + "/" + cron.getMetadata().getName() + ": " + e.getMessage());
            }
        }
    }

    private void problem(String message) {
        String firstLine = Objects.toString(message, "").lines().findFirst().orElse("");
        if (!firstLine.equals(lastProblem)) {
            log.atWarn().log(firstLine);
        }
        lastProblem = firstLine;
    }
}
