package dev.bootsource.operator;

import dev.bootsource.model.StorageProfile;
import dev.bootsource.model.DataImportCron;
import dev.bootsource.policy.GoldenSnapshotDecision;
import dev.bootsource.policy.AnnotationChange;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Kubernetes Events on StorageProfiles: one Normal event per annotation change and per snapshot class
 * created, one Warning event per policy warning; and one Normal event on each golden VolumeSnapshot
 * BootSource deletes.
 *
 * <p>Warnings are deduplicated by content per profile (by uid, so a recreated profile starts afresh): a
 * warning is reported when it appears and not again on every resync while it lasts. The memory is per
 * process, so a new leader reports the current warnings once.
 *
 * <p>Events are sent from background threads so they never slow a reconcile down. All events are created
 * in the {@code default} namespace, the one namespace the operator may create events in: for cluster-scoped
 * objects that is where {@code kubectl describe} finds them; a VolumeSnapshot's event names the snapshot's
 * own namespace in its involved object. When the
 * cluster refuses events (RBAC, or the API is not served), one log line says so, and sending is paused for
 * a while before it is tried again; reconciling is unaffected.
 */
final class ProfileEvents implements AutoCloseable {

    static final String NAMESPACE = "default";
    static final String COMPONENT = "bootsource";
    static final String REASON_ADDED = "AnnotationAdded";
    static final String REASON_REPLACED = "AnnotationReplaced";
    static final String REASON_REMOVED = "AnnotationRemoved";
    static final String REASON_SNAPSHOT_CLASS_CREATED = "SnapshotClassCreated";
    static final String REASON_WARNING = "PolicyWarning";
    static final String REASON_GOLDEN_SNAPSHOT_RECREATED = "GoldenSnapshotRecreated";
    static final String REASON_GOLDEN_SNAPSHOT_BLOCKED = "GoldenSnapshotBlocked";
    private static final int MAX_MESSAGE = 1024;
    private static final int QUEUE = 10_000;
    private static final int SENDERS = 4;
    private static final Duration PAUSE_WHEN_REFUSED = Duration.ofMinutes(5);
    private static final Logger log = LoggerFactory.getLogger(ProfileEvents.class);

    private final KubernetesClient client;
    private final String instance;
    private final OperatorMetrics metrics;
    private final Clock clock;
    private final Map<String, Set<String>> reportedWarnings = new ConcurrentHashMap<>();
    private final ThreadPoolExecutor sender;
    private volatile Instant pausedUntil = Instant.MIN;

    /** @param instance this replica's identity, recorded as the reporting instance */
    ProfileEvents(KubernetesClient client, String instance, OperatorMetrics metrics, Clock clock) {
        this.client = client;
        this.instance = instance;
        this.metrics = metrics;
        this.clock = clock;
        this.sender = new ThreadPoolExecutor(SENDERS, SENDERS, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE), runnable -> {
            Thread thread = new Thread(runnable, "bootsource-events");
            thread.setDaemon(true);
            return thread;
        }, (rejected, executor) -> {
            throw new RejectedExecutionException("event queue full");
        });
    }

    void changed(StorageProfile profile, AnnotationChange change) {
        String reason = switch (change.op()) {
            case ADD -> REASON_ADDED;
            case REPLACE -> REASON_REPLACED;
            case REMOVE -> REASON_REMOVED;
        };
        String what = change.value() == null ? change.key() : change.key() + "=" + change.value();
        send(profile, "Normal", reason, change.op().label() + " " + what + ": " + change.reason());
    }

    void createdSnapshotClass(StorageProfile profile, String snapshotClassName, String reason) {
        send(profile, "Normal", REASON_SNAPSHOT_CLASS_CREATED,
                "created VolumeSnapshotClass " + snapshotClassName + ": " + reason);
    }

    /** On the DataImportCron whose golden snapshot BootSource deleted so CDI re-imports it. */
    void recreatedGoldenSnapshot(DataImportCron cron, String message) {
        send(cron, "Normal", REASON_GOLDEN_SNAPSHOT_RECREATED, message);
    }

    /**
     * On the DataImportCron (or the snapshot, when its cron is missing) whose stale golden snapshot is held
     * back. A Warning where the admin has something to do; Normal where CDI or dry-run explains it.
     */
    void blockedGoldenSnapshot(HasMetadata involved, GoldenSnapshotDecision.BlockReason why, String message) {
        boolean expected = why == GoldenSnapshotDecision.BlockReason.CDI_MANAGES_BOOT_SOURCES
                || why == GoldenSnapshotDecision.BlockReason.DRY_RUN
                || why == GoldenSnapshotDecision.BlockReason.LIMIT
                || why == GoldenSnapshotDecision.BlockReason.CRON_BUSY;
        send(involved, expected ? "Normal" : "Warning", REASON_GOLDEN_SNAPSHOT_BLOCKED, why.label() + ": " + message);
    }

    /** Profiles that have warnings now (each counted while its warnings last). */
    int profilesWithWarnings() {
        return reportedWarnings.size();
    }

    /**
     * Reports the warnings the profile has now that were not reported while they lasted.
     *
     * @return the warnings that are new, in the decision's order
     */
    List<String> warned(StorageProfile profile, List<String> warnings) {
        Set<String> current = Set.copyOf(warnings);
        Set<String> before = reportedWarnings.getOrDefault(profile.getMetadata().getUid(), Set.of());
        if (current.isEmpty()) {
            reportedWarnings.remove(profile.getMetadata().getUid());
        } else {
            reportedWarnings.put(profile.getMetadata().getUid(), current);
        }
        Set<String> fresh = new HashSet<>(current);
        fresh.removeAll(before);
        List<String> newWarnings = warnings.stream().filter(fresh::contains).distinct().toList();
        newWarnings.forEach(warning -> send(profile, "Warning", REASON_WARNING, warning));
        return newWarnings;
    }

    private void send(HasMetadata involved, String type, String reason, String message) {
        if (clock.instant().isBefore(pausedUntil)) {
            return;
        }
        Event event = event(involved, type, reason, message);
        try {
            sender.execute(() -> create(event));
        } catch (RejectedExecutionException e) {
            log.atWarn().addKeyValue("kind", involved.getKind()).addKeyValue("name", involved.getMetadata().getName())
                    .log("event dropped: more than " + QUEUE + " events are waiting to be sent");
        }
    }

    private void create(Event event) {
        if (clock.instant().isBefore(pausedUntil)) {
            return;
        }
        try {
            client.v1().events().inNamespace(event.getMetadata().getNamespace()).resource(event).create();
        } catch (KubernetesClientException e) {
            metrics.failed("event");
            if (e.getCode() == 403 || e.getCode() == 404) {
                pausedUntil = clock.instant().plus(PAUSE_WHEN_REFUSED);
                log.atWarn().addKeyValue("namespace", NAMESPACE).addKeyValue("code", e.getCode())
                        .log("the cluster refuses Kubernetes Events; changes and warnings are only logged, events "
                                + "are tried again in " + PAUSE_WHEN_REFUSED.toMinutes() + " minutes");
            } else {
                log.atDebug().addKeyValue("code", e.getCode()).log("event not sent: " + e.getMessage());
            }
        }
    }

    private Event event(HasMetadata involved, String type, String reason, String message) {
        String now = DateTimeFormatter.ISO_INSTANT.format(clock.instant());
        return new EventBuilder()
                .withNewMetadata()
                .withGenerateName(involved.getMetadata().getName() + ".")
                // Namespaced objects get their events beside them; cluster-scoped ones in `default`.
                .withNamespace(involved.getMetadata().getNamespace() == null ? NAMESPACE : involved.getMetadata().getNamespace())
                .endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder()
                        .withApiVersion(involved.getApiVersion())
                        .withKind(involved.getKind())
                        .withNamespace(involved.getMetadata().getNamespace())
                        .withName(involved.getMetadata().getName())
                        .withUid(involved.getMetadata().getUid())
                        .withResourceVersion(involved.getMetadata().getResourceVersion())
                        .build())
                .withType(type)
                .withReason(reason)
                .withMessage(message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE - 3) + "..." : message)
                .withNewSource().withComponent(COMPONENT).withHost(instance).endSource()
                .withReportingComponent(COMPONENT)
                .withReportingInstance(instance)
                .withFirstTimestamp(now)
                .withLastTimestamp(now)
                .withCount(1)
                .build();
    }

    @Override
    public void close() {
        sender.shutdown();
        try {
            if (!sender.awaitTermination(2, TimeUnit.SECONDS)) {
                sender.shutdownNow();
            }
        } catch (InterruptedException e) {
            sender.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
