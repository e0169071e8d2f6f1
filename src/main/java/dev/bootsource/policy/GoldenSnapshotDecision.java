package dev.bootsource.policy;

import java.util.Locale;
import java.util.Optional;

/**
 * What happens to one golden VolumeSnapshot of a DataImportCron (SPEC §5), and why.
 *
 * @param namespace      the snapshot's namespace
 * @param name           the snapshot's name
 * @param dataImportCron the cron named by the snapshot's label
 * @param currentClass   the snapshot's class, if set
 * @param desiredClass   the boot-source class its cron's storage class calls for, if known
 * @param op             recreate, keep or blocked
 * @param reason         why
 */
public record GoldenSnapshotDecision(
        String namespace,
        String name,
        String dataImportCron,
        Optional<String> currentClass,
        Optional<String> desiredClass,
        Op op,
        String reason) {

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
}
