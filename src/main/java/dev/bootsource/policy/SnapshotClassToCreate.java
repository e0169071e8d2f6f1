package dev.bootsource.policy;

import dev.bootsource.model.Keys;
import dev.bootsource.model.VolumeSnapshotClass;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

import java.util.Map;
import java.util.TreeMap;

/**
 * A boot-source VolumeSnapshotClass BootSource will create: never default, deleted with its snapshots,
 * labelled as BootSource's.
 */
public record SnapshotClassToCreate(String name, String driver, Map<String, String> parameters, String forStorageClass) {

    public static final String DELETION_POLICY = "Delete";

    public SnapshotClassToCreate {
        parameters = Map.copyOf(parameters);
    }

    /** The class as it will be created. */
    public VolumeSnapshotClass toVolumeSnapshotClass() {
        VolumeSnapshotClass vsc = new VolumeSnapshotClass();
        vsc.setMetadata(new ObjectMetaBuilder()
                .withName(name)
                .addToLabels(Keys.MANAGED_BY_LABEL, Keys.MANAGED_BY_VALUE)
                .addToAnnotations(Keys.CREATED_FOR_STORAGE_CLASS, forStorageClass)
                .build());
        vsc.setDriver(driver);
        vsc.setDeletionPolicy(DELETION_POLICY);
        vsc.setParameters(new TreeMap<>(parameters));
        return vsc;
    }
}
