package dev.bootsource.policy;

import java.util.List;

/**
 * Everything BootSource would do to a cluster: whether CDI manages boot sources, profile annotations (by
 * name), snapshot classes to create, and what happens to golden snapshots.
 */
public record ClusterPlan(
        CdiManagement cdi,
        List<ProfileDecision> storageProfiles,
        List<SnapshotClassToCreate> snapshotClassesToCreate,
        List<GoldenSnapshotDecision> goldenSnapshots) {

    public ClusterPlan {
        storageProfiles = List.copyOf(storageProfiles);
        snapshotClassesToCreate = List.copyOf(snapshotClassesToCreate);
        goldenSnapshots = List.copyOf(goldenSnapshots);
    }

    public boolean changesAnything() {
        return !snapshotClassesToCreate.isEmpty()
                || storageProfiles.stream().anyMatch(p -> p.profileExists() && p.needsWrite())
                || goldenSnapshots.stream().anyMatch(g -> g.op() == GoldenSnapshotDecision.Op.RECREATE);
    }
}
