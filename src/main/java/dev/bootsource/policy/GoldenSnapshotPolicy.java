package dev.bootsource.policy;

import dev.bootsource.cluster.ClusterView;
import dev.bootsource.model.DataImportCron;
import dev.bootsource.model.Keys;
import dev.bootsource.model.VolumeSnapshot;
import io.fabric8.kubernetes.api.model.storage.StorageClass;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which golden snapshots are stale and may be deleted so CDI re-imports them onto the boot-source class
 * (SPEC §5, step 6 of the manual GCP workaround). Only ever names CRON-labelled snapshots; never decides to delete a snapshot
 * whose cron is missing or not UpToDate, before its new class exists, while a sibling is still becoming
 * ready, or beyond the cluster-wide limit of deletions in flight.
 */
public final class GoldenSnapshotPolicy {

    private static final Comparator<VolumeSnapshot> BY_NAMESPACED_NAME = Comparator
            .comparing((VolumeSnapshot s) -> s.getMetadata().getNamespace())
            .thenComparing(s -> s.getMetadata().getName());

    private final BootSourcePolicy policy;

    public GoldenSnapshotPolicy(BootSourcePolicy policy) {
        this.policy = policy;
    }

    /** One decision per CRON-labelled snapshot, in namespace/name order. */
    public List<GoldenSnapshotDecision> decide(ClusterView cluster) {
        List<VolumeSnapshot> snapshots = cluster.dataImportCronSnapshots().stream().sorted(BY_NAMESPACED_NAME).toList();
        long deletionsInFlight = snapshots.stream().filter(VolumeSnapshot::isBeingDeleted).count();
        Map<String, Optional<String>> desiredByStorageClass = new HashMap<>();
        List<GoldenSnapshotDecision> decisions = new ArrayList<>();
        for (VolumeSnapshot snapshot : snapshots) {
            GoldenSnapshotDecision decision = decide(cluster, snapshot, snapshots, deletionsInFlight, desiredByStorageClass);
            if (decision.op() == GoldenSnapshotDecision.Op.RECREATE) {
                deletionsInFlight++;
            }
            decisions.add(decision);
        }
        return decisions;
    }

    private GoldenSnapshotDecision decide(
            ClusterView cluster,
            VolumeSnapshot snapshot,
            List<VolumeSnapshot> all,
            long deletionsInFlight,
            Map<String, Optional<String>> desiredByStorageClass) {
        String namespace = snapshot.getMetadata().getNamespace();
        String cronName = snapshot.getMetadata().getLabels().get(Keys.DATA_IMPORT_CRON_LABEL);
        Optional<String> current = snapshot.snapshotClassName();
        Outcome outcome = new Outcome(namespace, snapshot.getMetadata().getName(), cronName, current);

        if (snapshot.isBeingDeleted()) {
            return outcome.blocked(Optional.empty(), "already being deleted; CDI re-imports the golden image");
        }
        Optional<DataImportCron> cron = cluster.dataImportCron(namespace, cronName);
        if (cron.isEmpty()) {
            return outcome.blocked(Optional.empty(), "DataImportCron " + namespace + "/" + cronName
                    + " not found; BootSource never deletes a snapshot it cannot trace to its cron");
        }
        Optional<String> requested = cron.get().templateStorageClassName();
        Optional<StorageClass> storageClass = DefaultStorageClass.resolve(cluster, requested);
        if (storageClass.isEmpty()) {
            return outcome.keep(Optional.empty(), requested
                    .map(name -> "StorageClass " + name + " of DataImportCron " + cronName + " not found")
                    .orElse("DataImportCron " + cronName + " names no storage class and the cluster has no default"));
        }
        String storageClassName = storageClass.get().getMetadata().getName();
        Optional<String> desired = desiredByStorageClass.computeIfAbsent(storageClassName,
                name -> policy.decide(cluster, storageClass.get()).effectiveSnapshotClass());
        if (desired.isEmpty()) {
            return outcome.keep(desired, "StorageClass " + storageClassName + " has no boot-source snapshot class");
        }
        if (current.equals(desired)) {
            return outcome.keep(desired, "already taken with " + desired.get());
        }
        String stale = "taken with " + current.orElse("the default class") + ", but StorageClass " + storageClassName
                + " calls for " + desired.get();
        GoldenSnapshotMode mode = policy.options().goldenSnapshots();
        if (mode == GoldenSnapshotMode.OFF) {
            return outcome.blocked(desired, stale + "; golden snapshot handling is off");
        }
        if (!cron.get().isUpToDate()) {
            return outcome.blocked(desired, stale + "; DataImportCron " + cronName + " is not UpToDate yet");
        }
        boolean desiredExists = cluster.volumeSnapshotClasses().stream()
                .anyMatch(vsc -> desired.get().equals(vsc.getMetadata().getName())
                        && vsc.getMetadata().getDeletionTimestamp() == null);
        if (!desiredExists) {
            return outcome.blocked(desired, stale + "; VolumeSnapshotClass " + desired.get()
                    + " does not exist yet, and a re-import before it does would land on the wrong class again");
        }
        Optional<VolumeSnapshot> siblingNotReady = all.stream()
                .filter(other -> other != snapshot)
                .filter(other -> Objects.equals(other.getMetadata().getNamespace(), namespace))
                .filter(other -> cronName.equals(other.getMetadata().getLabels().get(Keys.DATA_IMPORT_CRON_LABEL)))
                .filter(other -> !other.isBeingDeleted() && !other.isReadyToUse())
                .findFirst();
        if (siblingNotReady.isPresent()) {
            return outcome.blocked(desired, stale + "; snapshot " + siblingNotReady.get().getMetadata().getName()
                    + " of the same DataImportCron is still becoming ready");
        }
        int limit = policy.options().maxGoldenSnapshotDeletions();
        if (deletionsInFlight >= limit) {
            return outcome.blocked(desired, stale + "; " + deletionsInFlight + " golden-snapshot deletion(s) already in flight (limit "
                    + limit + ")");
        }
        if (mode == GoldenSnapshotMode.DRY_RUN) {
            return outcome.blocked(desired, stale + "; dry-run: it would be deleted so CDI re-imports it");
        }
        return outcome.recreate(desired, stale + "; deleting it makes CDI re-import it onto " + desired.get());
    }

    /** Builds a decision for one snapshot; only the op, desired class and reason vary. */
    private record Outcome(String namespace, String name, String cron, Optional<String> current) {

        GoldenSnapshotDecision keep(Optional<String> desired, String reason) {
            return of(GoldenSnapshotDecision.Op.KEEP, desired, reason);
        }

        GoldenSnapshotDecision blocked(Optional<String> desired, String reason) {
            return of(GoldenSnapshotDecision.Op.BLOCKED, desired, reason);
        }

        GoldenSnapshotDecision recreate(Optional<String> desired, String reason) {
            return of(GoldenSnapshotDecision.Op.RECREATE, desired, reason);
        }

        private GoldenSnapshotDecision of(GoldenSnapshotDecision.Op op, Optional<String> desired, String reason) {
            return new GoldenSnapshotDecision(namespace, name, cron, current, desired, op, reason);
        }
    }
}
