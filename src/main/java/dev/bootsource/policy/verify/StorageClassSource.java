package dev.bootsource.policy.verify;

/** Where a DataImportCron's storage class comes from. */
public enum StorageClassSource {
    /** The cron's template names it. */
    TEMPLATE("template"),
    /** The template names none; the class annotated as the default virt class. */
    DEFAULT_VIRT_CLASS("default virt class"),
    /** The template names none and no default virt class exists; the cluster's default class. */
    DEFAULT_CLASS("default class"),
    /** The template names none and the cluster has no default, or the named class does not exist. */
    NONE("none");

    private final String label;

    StorageClassSource(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
