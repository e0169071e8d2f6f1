package dev.bootsource.policy;

import dev.bootsource.errors.InvalidInputException;

/**
 * The admin's switches for the policy.
 *
 * @param autoCreateSnapshotClasses      create {@code <storageclass>-images} when no boot-source class matches
 * @param goldenSnapshots                what to do with golden snapshots on the wrong class
 * @param maxGoldenSnapshotDeletions     golden-snapshot recreations allowed in flight cluster-wide
 * @param cdiMode                        whether CDI manages boot sources itself: detected, or the admin's word
 */
public record PolicyOptions(boolean autoCreateSnapshotClasses, GoldenSnapshotMode goldenSnapshots,
                            int maxGoldenSnapshotDeletions, CdiMode cdiMode) {

    public static final PolicyOptions DEFAULTS = new PolicyOptions(true, GoldenSnapshotMode.AUTO, 1, CdiMode.AUTO);

    public PolicyOptions {
        if (goldenSnapshots == null) {
            throw new InvalidInputException("golden snapshot mode is required");
        }
        if (cdiMode == null) {
            throw new InvalidInputException("CDI mode is required");
        }
        if (maxGoldenSnapshotDeletions < 1) {
            throw new InvalidInputException("at least one golden-snapshot recreation must be allowed in flight, got "
                    + maxGoldenSnapshotDeletions);
        }
    }

    public PolicyOptions withAutoCreate(boolean autoCreate) {
        return new PolicyOptions(autoCreate, goldenSnapshots, maxGoldenSnapshotDeletions, cdiMode);
    }

    public PolicyOptions withGoldenSnapshots(GoldenSnapshotMode mode, int maxDeletions) {
        return new PolicyOptions(autoCreateSnapshotClasses, mode, maxDeletions, cdiMode);
    }

    public PolicyOptions withCdiMode(CdiMode mode) {
        return new PolicyOptions(autoCreateSnapshotClasses, goldenSnapshots, maxGoldenSnapshotDeletions, mode);
    }
}
