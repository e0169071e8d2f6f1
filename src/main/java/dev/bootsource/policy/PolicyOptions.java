package dev.bootsource.policy;

/**
 * The admin's switches for the policy.
 *
 * @param autoCreateSnapshotClasses      create {@code <storageclass>-images} when no boot-source class matches
 * @param goldenSnapshots                what to do with golden snapshots on the wrong class
 * @param maxGoldenSnapshotDeletions     golden-snapshot deletions allowed in flight cluster-wide
 */
public record PolicyOptions(boolean autoCreateSnapshotClasses, GoldenSnapshotMode goldenSnapshots, int maxGoldenSnapshotDeletions) {

    public static final PolicyOptions DEFAULTS = new PolicyOptions(true, GoldenSnapshotMode.AUTO, 1);

    public PolicyOptions {
        if (goldenSnapshots == null) {
            throw new IllegalArgumentException("golden snapshot mode is required");
        }
        if (maxGoldenSnapshotDeletions < 1) {
            throw new IllegalArgumentException("at least one golden-snapshot deletion must be allowed in flight, got "
                    + maxGoldenSnapshotDeletions);
        }
    }

    public PolicyOptions withAutoCreate(boolean autoCreate) {
        return new PolicyOptions(autoCreate, goldenSnapshots, maxGoldenSnapshotDeletions);
    }

    public PolicyOptions withGoldenSnapshots(GoldenSnapshotMode mode, int maxDeletions) {
        return new PolicyOptions(autoCreateSnapshotClasses, mode, maxDeletions);
    }
}
