package dev.bootsource.policy.workaround;

import dev.bootsource.cluster.ClusterView;
import dev.bootsource.model.DataImportCron;
import dev.bootsource.policy.BootSourcePolicy;
import dev.bootsource.policy.GoldenSnapshotDecision;
import dev.bootsource.policy.GoldenSnapshotMode;
import dev.bootsource.policy.GoldenSnapshotPolicy;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

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

    /**
     * @param policy  the policy in force; every stale snapshot is listed, whatever its limit on deletions in flight
     * @param applied the state once the documents are applied
     */
    public static GoldenSnapshotCleanup decide(BootSourcePolicy policy, ClusterView applied) {
        BootSourcePolicy everyStale = new BootSourcePolicy(policy.catalog(),
                policy.options().withGoldenSnapshots(GoldenSnapshotMode.AUTO, Integer.MAX_VALUE));
        List<GoldenSnapshotDecision> decisions = new GoldenSnapshotPolicy(everyStale).decide(applied);
        List<GoldenSnapshotDecision> older = decisions.stream()
                .filter(d -> d.op() != GoldenSnapshotDecision.Op.KEEP && !inUse(applied, d)).toList();
        decisions = decisions.stream().filter(d -> !older.contains(d)).toList();
        return new GoldenSnapshotCleanup(
                decisions.stream().filter(d -> d.op() == GoldenSnapshotDecision.Op.RECREATE).toList(),
                decisions.stream().filter(d -> d.op() == GoldenSnapshotDecision.Op.BLOCKED).toList(),
                older.size());
    }

    /**
     * Whether CDI still uses the snapshot: it is its DataImportCron's last import ({@code status.lastImportedPVC},
     * which names the snapshot too), or that status is unknown.
     */
    private static boolean inUse(ClusterView cluster, GoldenSnapshotDecision decision) {
        Optional<DataImportCron> cron = cluster.dataImportCron(decision.namespace(), decision.dataImportCron());
        Object last = cron.map(DataImportCron::getStatus).map(status -> status.getAdditionalProperties().get("lastImportedPVC"))
                .orElse(null);
        if (last instanceof Map<?, ?> reference && reference.get("name") instanceof String name) {
            return Objects.equals(name, decision.name());
        }
        return true;
    }
}
