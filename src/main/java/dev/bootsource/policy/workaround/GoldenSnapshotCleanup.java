package dev.bootsource.policy.workaround;

import dev.bootsource.policy.GoldenSnapshotDecision;

import java.util.List;

/**
 * Step 6, decided on the state as it will be once the documents are applied: every stale golden snapshot CDI
 * still uses, to delete one at a time.
 *
 * @param delete  the snapshots to delete so CDI re-imports them
 * @param blocked the stale snapshots that must wait, each with why
 * @param older   how many stale snapshots CDI no longer uses (not its DataImportCron's last import); CDI deletes them
 */
public record GoldenSnapshotCleanup(List<GoldenSnapshotDecision> delete, List<GoldenSnapshotDecision> blocked, int older) {

    public GoldenSnapshotCleanup {
        delete = List.copyOf(delete);
        blocked = List.copyOf(blocked);
    }

    public boolean nothingToReimport() {
        return delete.isEmpty() && blocked.isEmpty();
    }
}
