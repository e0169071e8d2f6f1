package dev.bootsource.policy;

import dev.bootsource.cluster.ClusterView;
import dev.bootsource.model.DataImportCron;
import dev.bootsource.model.DataVolume;
import dev.bootsource.model.Keys;
import dev.bootsource.model.RecreationRecord;
import dev.bootsource.model.StorageSpec;
import dev.bootsource.model.VolumeSnapshot;
import dev.bootsource.model.VolumeSnapshotClass;
import dev.bootsource.policy.GoldenSnapshotDecision.BlockReason;
import io.fabric8.kubernetes.api.model.storage.StorageClass;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which golden snapshots are stale, and which of those may be deleted so CDI re-imports them onto the
 * expected class (spec §5, step 6 of the manual GCP workaround). A golden snapshot is the only copy of
 * its image, so a stale one is recreated only when the re-import will land on the expected class and
 * BootSource has not already recreated one of that cron in vain; otherwise it is blocked, with the
 * first safeguard that failed as data.
 */
public final class GoldenSnapshotPolicy {

    private static final Comparator<VolumeSnapshot> BY_NAMESPACED_NAME = Comparator
            .comparing((VolumeSnapshot s) -> s.getMetadata().getNamespace())
            .thenComparing(s -> s.getMetadata().getName());

    private final BootSourcePolicy policy;

    public GoldenSnapshotPolicy(BootSourcePolicy policy) {
        this.policy = policy;
    }

    /** A DataImportCron by namespace and name. */
    public record CronRef(String namespace, String name) {
        static CronRef of(VolumeSnapshot snapshot) {
            return new CronRef(snapshot.getMetadata().getNamespace(),
                    snapshot.getMetadata().getLabels().get(Keys.DATA_IMPORT_CRON_LABEL));
        }

        static CronRef of(DataImportCron cron) {
            return new CronRef(cron.getMetadata().getNamespace(), cron.getMetadata().getName());
        }

        @Override
        public String toString() {
            return namespace + "/" + name;
        }
    }

    /** One decision per CRON-labelled snapshot, in namespace/name order. */
    public List<GoldenSnapshotDecision> decide(ClusterView cluster) {
        return decide(cluster, policy.cdiManagement(cluster));
    }

    public List<GoldenSnapshotDecision> decide(ClusterView cluster, CdiManagement cdi) {
        Pass pass = new Pass(cluster, cdi);
        List<GoldenSnapshotDecision> decisions = new ArrayList<>();
        for (VolumeSnapshot snapshot : pass.snapshots) {
            GoldenSnapshotDecision decision = pass.decide(snapshot);
            if (decision.op() == GoldenSnapshotDecision.Op.RECREATE) {
                pass.inFlight.add(CronRef.of(snapshot));
            }
            decisions.add(decision);
        }
        return decisions;
    }

    /**
     * DataImportCrons whose recreation record has done its work: the cron has a ready snapshot on the
     * expected class, so the record is cleared and a later stale import may be recreated once again.
     */
    public List<CronRef> recordsToClear(ClusterView cluster, CdiManagement cdi) {
        Pass pass = new Pass(cluster, cdi);
        List<CronRef> clear = new ArrayList<>();
        for (DataImportCron cron : cluster.dataImportCrons()) {
            if (cron.recreationRecordText().isEmpty()) {
                continue;
            }
            CronRef ref = CronRef.of(cron);
            Optional<String> expected = pass.storageClassOf(cron).flatMap(pass::expectedClass);
            boolean onExpected = expected.isPresent() && pass.snapshotsOf(ref).stream()
                    .anyMatch(s -> !s.isBeingDeleted() && s.isReadyToUse() && s.snapshotClassName().equals(expected));
            if (onExpected) {
                clear.add(ref);
            }
        }
        clear.sort(Comparator.comparing(CronRef::toString));
        return clear;
    }

    /** The state one decision pass works on: snapshots grouped by cron, expected classes worked out once. */
    private final class Pass {
        final ClusterView cluster;
        final CdiManagement cdi;
        final List<VolumeSnapshot> snapshots;
        final Map<CronRef, List<VolumeSnapshot>> byCron = new HashMap<>();
        final Map<String, Optional<String>> expectedByStorageClass = new HashMap<>();
        final Set<CronRef> inFlight = new HashSet<>();

        Pass(ClusterView cluster, CdiManagement cdi) {
            this.cluster = cluster;
            this.cdi = cdi;
            this.snapshots = cluster.dataImportCronSnapshots().stream().sorted(BY_NAMESPACED_NAME).toList();
            snapshots.forEach(s -> byCron.computeIfAbsent(CronRef.of(s), ref -> new ArrayList<>()).add(s));
            for (DataImportCron cron : cluster.dataImportCrons()) {
                if (recreationInFlight(cron)) {
                    inFlight.add(CronRef.of(cron));
                }
            }
            // A deletion BootSource did not record (an admin's, or one from before records) counts too.
            for (VolumeSnapshot snapshot : snapshots) {
                if (snapshot.isBeingDeleted() && !hasReadySnapshot(CronRef.of(snapshot), identity(snapshot))) {
                    inFlight.add(CronRef.of(snapshot));
                }
            }
        }

        List<VolumeSnapshot> snapshotsOf(CronRef cron) {
            return byCron.getOrDefault(cron, List.of());
        }

        Optional<StorageClass> storageClassOf(DataImportCron cron) {
            return DefaultStorageClass.resolve(cluster, cron.templateStorageClassName());
        }

        /** The class golden snapshots of this storage class belong on (spec §3.1), if any. */
        Optional<String> expectedClass(StorageClass storageClass) {
            return expectedByStorageClass.computeIfAbsent(storageClass.getMetadata().getName(), name ->
                    cdi.managesBootSources()
                            ? CdiSnapshotClass.of(cluster, storageClass).map(CdiSnapshotClass.Choice::name)
                            : policy.decide(cluster, storageClass, cdi).effectiveSnapshotClass());
        }

        /** From the recorded delete until the cron again has a ready snapshot (other than the deleted one). */
        private boolean recreationInFlight(DataImportCron cron) {
            Optional<RecreationRecord> record = readable(cron);
            if (record.isEmpty()) {
                return false;
            }
            CronRef ref = CronRef.of(cron);
            String uid = record.get().uid();
            boolean deleteHappened = snapshotsOf(ref).stream()
                    .noneMatch(s -> uid.equals(identity(s)) && !s.isBeingDeleted());
            return deleteHappened && !hasReadySnapshot(ref, uid);
        }

        private boolean hasReadySnapshot(CronRef cron, String otherThanUid) {
            return snapshotsOf(cron).stream().anyMatch(s -> !s.isBeingDeleted() && s.isReadyToUse()
                    && !otherThanUid.equals(identity(s)));
        }

        GoldenSnapshotDecision decide(VolumeSnapshot snapshot) {
            CronRef ref = CronRef.of(snapshot);
            Optional<String> current = snapshot.snapshotClassName();
            Outcome outcome = new Outcome(snapshot.getMetadata().getNamespace(), snapshot.getMetadata().getName(),
                    ref.name(), current);

            if (snapshot.isBeingDeleted()) {
                return outcome.keep(Optional.empty(), "being deleted; CDI re-imports the golden image");
            }
            Optional<DataImportCron> cron = cluster.dataImportCron(ref.namespace(), ref.name());
            if (cron.isEmpty()) {
                return outcome.blocked(Optional.empty(), BlockReason.CRON_MISSING, "DataImportCron " + ref
                        + " not found; BootSource never deletes a snapshot it cannot trace to its cron");
            }
            Optional<String> requested = cron.get().templateStorageClassName();
            Optional<StorageClass> storageClass = storageClassOf(cron.get());
            if (storageClass.isEmpty()) {
                return outcome.keep(Optional.empty(), requested
                        .map(name -> "StorageClass " + name + " of DataImportCron " + ref.name() + " not found")
                        .orElse("DataImportCron " + ref.name() + " names no storage class and the cluster has no default"));
            }
            String storageClassName = storageClass.get().getMetadata().getName();
            Optional<String> expected = expectedClass(storageClass.get());
            if (expected.isEmpty()) {
                return outcome.keep(expected, "StorageClass " + storageClassName + " has no "
                        + (cdi.managesBootSources() ? "snapshot class CDI would take" : "boot-source snapshot class"));
            }
            if (current.equals(expected)) {
                return outcome.keep(expected, "already taken with " + expected.get());
            }
            String stale = "taken with " + current.orElse("the default class") + ", but StorageClass " + storageClassName
                    + " calls for " + expected.get();
            return outcome.blocked(expected, stale, firstFailedSafeguard(snapshot, cron.get(), storageClass.get(), expected.get()))
                    .orElseGet(() -> outcome.recreate(expected, stale + "; deleting it makes CDI re-import it onto "
                            + expected.get()));
        }

        /** spec §5 conditions 1 to 5 in order (and the mode), the first one that fails; empty when all hold. */
        private Optional<Block> firstFailedSafeguard(VolumeSnapshot snapshot, DataImportCron cron,
                                                     StorageClass storageClass, String expected) {
            GoldenSnapshotMode mode = policy.options().goldenSnapshots();
            CronRef ref = CronRef.of(cron);
            if (mode == GoldenSnapshotMode.OFF) {
                return Block.of(BlockReason.MODE_OFF, "golden snapshot handling is off");
            }
            if (cdi.managesBootSources()) {
                return Block.of(BlockReason.CDI_MANAGES_BOOT_SOURCES, "CDI manages boot sources (" + cdi.reason()
                        + ") and deletes and re-imports it itself");
            }
            if (!cron.isUpToDate() || cron.isProgressing()) {
                return Block.of(BlockReason.CRON_BUSY, "DataImportCron " + ref.name()
                        + (cron.isProgressing() ? " is importing (Progressing)" : " is not UpToDate yet"));
            }
            Optional<VolumeSnapshot> siblingNotReady = snapshotsOf(ref).stream()
                    .filter(other -> other != snapshot && !other.isBeingDeleted() && !other.isReadyToUse())
                    .findFirst();
            if (siblingNotReady.isPresent()) {
                return Block.of(BlockReason.CRON_BUSY, "snapshot " + siblingNotReady.get().getMetadata().getName()
                        + " of the same DataImportCron is still becoming ready");
            }
            Optional<String> unusable = unusableClass(expected, storageClass);
            if (unusable.isPresent()) {
                return Block.of(BlockReason.CLASS_UNUSABLE, unusable.get()
                        + ", so a re-import would land on the wrong class again");
            }
            Optional<String> notReadWriteOnce = notReadWriteOnce(cron);
            if (notReadWriteOnce.isPresent()) {
                return Block.of(BlockReason.TEMPLATE_NOT_RWO, notReadWriteOnce.get() + ", and an images snapshot must "
                        + "come from a ReadWriteOnce disk: a re-import would be stale again");
            }
            Optional<String> recreatedBefore = recreatedBefore(snapshot, cron);
            if (recreatedBefore.isPresent()) {
                return Block.of(BlockReason.RECREATED_BEFORE, recreatedBefore.get());
            }
            int limit = policy.options().maxGoldenSnapshotDeletions();
            if (inFlight.size() >= limit) {
                return Block.of(BlockReason.LIMIT, inFlight.size() + " golden-snapshot recreation(s) already in flight ("
                        + String.join(", ", inFlight.stream().map(CronRef::toString).sorted().toList())
                        + "; limit " + limit + ")");
            }
            if (mode == GoldenSnapshotMode.DRY_RUN) {
                return Block.of(BlockReason.DRY_RUN, "dry-run: it would be deleted so CDI re-imports it");
            }
            return Optional.empty();
        }

        /** Condition 3: the expected class exists, is not being deleted and belongs to the provisioner. */
        private Optional<String> unusableClass(String expected, StorageClass storageClass) {
            Optional<VolumeSnapshotClass> vsc = cluster.volumeSnapshotClass(expected);
            if (vsc.isEmpty()) {
                return Optional.of("VolumeSnapshotClass " + expected + " does not exist yet");
            }
            if (vsc.get().isBeingDeleted()) {
                return Optional.of("VolumeSnapshotClass " + expected + " is being deleted");
            }
            if (!Objects.equals(vsc.get().getDriver(), storageClass.getProvisioner())) {
                return Optional.of("VolumeSnapshotClass " + expected + " belongs to driver " + vsc.get().getDriver()
                        + ", not to " + storageClass.getProvisioner());
            }
            return Optional.empty();
        }

        /** Condition 4: a recorded recreation whose replacement came back stale. */
        private Optional<String> recreatedBefore(VolumeSnapshot snapshot, DataImportCron cron) {
            Optional<String> text = cron.recreationRecordText();
            if (text.isEmpty()) {
                return Optional.empty();
            }
            RecreationRecord record;
            try {
                record = RecreationRecord.parse(text.get());
            } catch (IllegalArgumentException e) {
                return Optional.of("DataImportCron " + cron.getMetadata().getName() + " carries an unreadable "
                        + Keys.RECREATION_RECORD + " (" + e.getMessage() + "); BootSource recreates none of its snapshots "
                        + "until the annotation is removed");
            }
            if (record.uid().equals(identity(snapshot))) {
                return Optional.empty(); // this very snapshot was to be deleted and is still here: the delete never happened
            }
            return Optional.of("BootSource already recreated " + record.snapshot() + " of this DataImportCron ("
                    + (record.fromClass().isEmpty() ? "default class" : record.fromClass()) + " -> " + record.toClass()
                    + ", " + record.deletedAt() + ") and the re-import came back stale; it is not recreated again until "
                    + "the cron's snapshot is on " + record.toClass() + " once (check that the webhook is registered and "
                    + "the template imports ReadWriteOnce; removing the " + Keys.RECREATION_RECORD
                    + " annotation allows one more try)");
        }
    }

    /** Condition 3, the template half: {@code spec.storage} with no access modes or ReadWriteOnce only. */
    static Optional<String> notReadWriteOnce(DataImportCron cron) {
        Optional<DataVolume.Spec> template = cron.templateSpec();
        String name = "the template of DataImportCron " + cron.getMetadata().getName();
        if (template.isEmpty() || template.get().getStorage() == null) {
            return Optional.of(template.map(DataVolume.Spec::getPvc).isPresent()
                    ? name + " uses spec.pvc, whose access modes CDI takes as given"
                    : name + " has no spec.storage");
        }
        List<String> modes = Optional.ofNullable(template.get().getStorage()).map(StorageSpec::getAccessModes).orElse(List.of());
        if (!modes.isEmpty() && !modes.equals(List.of(Keys.READ_WRITE_ONCE))) {
            return Optional.of(name + " asks for access modes " + modes);
        }
        return Optional.empty();
    }

    /** A snapshot's uid; a dump stripped of uids falls back to namespace/name, so no two snapshots look alike. */
    private static String identity(VolumeSnapshot snapshot) {
        String uid = snapshot.getMetadata().getUid();
        return uid == null || uid.isBlank()
                ? snapshot.getMetadata().getNamespace() + "/" + snapshot.getMetadata().getName() : uid;
    }

    private static Optional<RecreationRecord> readable(DataImportCron cron) {
        try {
            return cron.recreationRecordText().map(RecreationRecord::parse);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Which safeguard held a stale snapshot back, and the sentence that says how. */
    private record Block(BlockReason reason, String because) {
        static Optional<Block> of(BlockReason reason, String because) {
            return Optional.of(new Block(reason, because));
        }
    }

    /** Builds a decision for one snapshot; only the op, expected class and reason vary. */
    private record Outcome(String namespace, String name, String cron, Optional<String> current) {

        GoldenSnapshotDecision keep(Optional<String> expected, String reason) {
            return new GoldenSnapshotDecision(namespace, name, cron, current, expected, GoldenSnapshotDecision.Op.KEEP,
                    reason, Optional.empty());
        }

        GoldenSnapshotDecision blocked(Optional<String> expected, BlockReason why, String reason) {
            return new GoldenSnapshotDecision(namespace, name, cron, current, expected, GoldenSnapshotDecision.Op.BLOCKED,
                    reason, Optional.of(why));
        }

        Optional<GoldenSnapshotDecision> blocked(Optional<String> expected, String stale, Optional<Block> block) {
            return block.map(b -> blocked(expected, b.reason(), stale + "; " + b.because()));
        }

        GoldenSnapshotDecision recreate(Optional<String> expected, String reason) {
            return new GoldenSnapshotDecision(namespace, name, cron, current, expected, GoldenSnapshotDecision.Op.RECREATE,
                    reason, Optional.empty());
        }
    }
}
