package dev.bootsource.policy.verify;

/** What part of the boot-source set-up a check looks at, in the order {@code verify} reports them. */
public enum CheckArea {
    INPUT("The cluster state has what the checks need"),
    DATA_IMPORT_CRONS("DataImportCrons import onto a known storage class"),
    GOLDEN_SNAPSHOTS("Golden snapshots use the boot-source snapshot class"),
    GOLDEN_VOLUMES("Golden image volumes are ReadWriteOnce where the policy says so"),
    STORAGE_PROFILES("StorageProfiles carry the boot-source annotations"),
    VM_DISKS("VM disks restored from golden images are on the default class (Step 7.4)"),
    DEFAULTS("VM disks and VM snapshots keep the defaults");

    private final String title;

    CheckArea(String title) {
        this.title = title;
    }

    public String title() {
        return title;
    }
}
