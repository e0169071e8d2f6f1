package dev.bootsource.policy;

import java.util.Locale;
import java.util.Optional;

/**
 * What happens to one golden VolumeSnapshot of a DataImportCron (spec §5), and why.
 *
 * @param namespace      the snapshot's namespace
 * @param name           the snapshot's name
 * @param dataImportCron the cron named by the snapshot's label
 * @param currentClass   the snapshot's class, if set
 * @param desiredClass   the expected class of its cron's storage class (spec §3.1), if known
 * @param op             recreate, keep or blocked
 * @param reason         why, in a sentence
 * @param blockedBy      for {@code blocked}: which safeguard held it back, as data for metrics and events
 */
public record GoldenSnapshotDecision(
        String namespace,
        String name,
        String dataImportCron,
        Optional<String> currentClass,
        Optional<String> desiredClass,
        Op op,
        String reason,
        Optional<BlockReason> blockedBy) {

    public enum Op {
        /** Delete it so CDI re-imports the golden image onto the right class. */
        RECREATE,
        /** Nothing to do. */
        KEEP,
        /** Stale, but not safe (or not allowed) to delete now. */
        BLOCKED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Why a stale golden snapshot is not recreated now, in the order the safeguards are checked. */
    public enum BlockReason {
        /** {@code --golden-snapshots off}. */
        MODE_OFF("mode-off"),
        /** Condition 1: CDI recreates it itself. */
        CDI_MANAGES_BOOT_SOURCES("cdi-manages-boot-sources"),
        /** Condition 2: its DataImportCron is not there. */
        CRON_MISSING("cron-missing"),
        /** Condition 2: its DataImportCron is importing, not UpToDate, or another of its snapshots is becoming ready. */
        CRON_BUSY("cron-busy"),
        /** Condition 3: the expected class cannot take the re-import (missing, being deleted, another driver). */
        CLASS_UNUSABLE("class-unusable"),
        /** Condition 3: the cron's template cannot be imported ReadWriteOnce. */
        TEMPLATE_NOT_RWO("template-not-rwo"),
        /** Condition 4: an earlier recreation's replacement came back stale; a loop is prevented. */
        RECREATED_BEFORE("recreated-before"),
        /** Condition 5: the cluster-wide limit of recreations in flight is reached. */
        LIMIT("limit"),
        /** {@code --golden-snapshots dry-run}: it would be recreated. */
        DRY_RUN("dry-run"),
        /** The operator's leader election is not working, so it deletes nothing. */
        NO_LEADER_ELECTION("no-leader-election");

        private final String label;

        BlockReason(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** The same decision held back for a reason only the operator knows (e.g. no working leader election). */
    public GoldenSnapshotDecision blocked(BlockReason why, String because) {
        return new GoldenSnapshotDecision(namespace, name, dataImportCron, currentClass, desiredClass, Op.BLOCKED,
                reason + "; " + because, Optional.of(why));
    }
}
