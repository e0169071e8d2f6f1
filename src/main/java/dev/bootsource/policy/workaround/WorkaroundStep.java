package dev.bootsource.policy.workaround;

/** The steps of the manual GCP workaround's manual workaround that {@code workaround} writes out, in the order it prints them. */
public enum WorkaroundStep {
    /** Step 3: the images VolumeSnapshotClass(es) golden images are snapshotted with. */
    SNAPSHOT_CLASS(3),
    /** The boot-source annotations on existing StorageProfiles, read by a CDI that supports them. */
    PROFILE_ANNOTATIONS(4),
    /** Step 1: a ReadWriteOnce images-only copy of the default virt StorageClass. */
    IMAGES_STORAGE_CLASS(1),
    /** Step 4: the images-only class's StorageProfile. */
    IMAGES_PROFILE(4),
    /** Step 5: the HyperConverged DataImportCron templates pointed at the images-only class. */
    DATA_IMPORT_CRON_TEMPLATES(5);

    private final int workaroundStep;

    WorkaroundStep(int workaroundStep) {
        this.workaroundStep = workaroundStep;
    }

    /** The step of the manual GCP workaround this stands in for. */
    public int workaroundStep() {
        return workaroundStep;
    }
}
