package dev.bootsource.model;

import java.util.List;

/** The annotation and label names BootSource reads and writes (spec §1), and its own bookkeeping keys. */
public final class Keys {

    public static final String MINIMUM_PVC_SIZE = "cdi.kubevirt.io/minimumSupportedPvcSize";
    public static final String USE_RWO_FOR_BOOT_SOURCES = "cdi.kubevirt.io/useReadWriteOnceForBootSources";
    public static final String SNAPSHOT_CLASS_FOR_BOOT_SOURCES = "cdi.kubevirt.io/snapshotClassForBootSources";
    /** The RWO annotation as upstream CDI names it; BootSource follows it when present. */
    public static final String UPSTREAM_USE_RWO = "cdi.kubevirt.io/useReadWriteOnceForDataImportCron";
    /** The snapshot-class annotation as upstream CDI names it; BootSource follows it when present. */
    public static final String UPSTREAM_SNAPSHOT_CLASS = "cdi.kubevirt.io/snapshotClassForDataImportCron";
    /** The StorageProfile annotations only CDI v1.65.0 and later write. */
    public static final List<String> UPSTREAM_BOOT_SOURCE_KEYS = List.of(UPSTREAM_USE_RWO, UPSTREAM_SNAPSHOT_CLASS);

    /** CDI labels the DataVolume, PVC and VolumeSnapshot of a DataImportCron with the cron's name. */
    public static final String DATA_IMPORT_CRON_LABEL = "cdi.kubevirt.io/dataImportCron";

    public static final String DEFAULT_STORAGE_CLASS = "storageclass.kubernetes.io/is-default-class";
    public static final String DEFAULT_VIRT_STORAGE_CLASS = "storageclass.kubevirt.io/is-default-virt-class";
    public static final String DEFAULT_SNAPSHOT_CLASS = "snapshot.storage.kubernetes.io/is-default-class";

    /** BootSource's record of the annotation values it wrote on a StorageProfile (a JSON object). */
    public static final String MANAGED_ANNOTATIONS = "bootsource.dev/managed-annotations";
    /**
     * On a DataImportCron: BootSource's record of the last golden-snapshot recreation it made for the cron
     * (a JSON {@link RecreationRecord}), kept until the cron's snapshot is on the expected class.
     */
    public static final String RECREATION_RECORD = "bootsource.dev/golden-snapshot-recreation";
    /** On a VolumeSnapshotClass BootSource created: the StorageClass it was created for. */
    public static final String CREATED_FOR_STORAGE_CLASS = "bootsource.dev/created-for-storage-class";
    public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY_VALUE = "bootsource";

    public static final String READ_WRITE_ONCE = "ReadWriteOnce";
    public static final String READ_WRITE_MANY = "ReadWriteMany";

    private Keys() {
    }
}
