package dev.bootsource.cluster;

import dev.bootsource.model.Cdi;
import dev.bootsource.model.DataImportCron;
import dev.bootsource.model.StorageProfile;
import dev.bootsource.model.VolumeSnapshot;
import dev.bootsource.model.VolumeSnapshotClass;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.storage.StorageClass;

import java.util.Collection;
import java.util.Optional;

/**
 * Read-only cluster state the policy decides on. Backed by files for {@code plan} and {@code admit},
 * and by informer caches in the operator, so both decide from the same kind of input.
 * Implementations never hand out objects the caller may change.
 */
public interface ClusterView {

    Collection<StorageClass> storageClasses();

    Optional<StorageClass> storageClass(String name);

    Collection<VolumeSnapshotClass> volumeSnapshotClasses();

    /** StorageClasses whose provisioner is {@code provisioner}; views that can, answer from an index. */
    default Collection<StorageClass> storageClassesOf(String provisioner) {
        return storageClasses().stream().filter(sc -> provisioner.equals(sc.getProvisioner())).toList();
    }

    /** The named VolumeSnapshotClass; views that can, answer from an index. */
    default Optional<VolumeSnapshotClass> volumeSnapshotClass(String name) {
        return volumeSnapshotClasses().stream().filter(vsc -> name.equals(vsc.getMetadata().getName())).findFirst();
    }

    /** VolumeSnapshotClasses whose driver is {@code driver}; views that can, answer from an index. */
    default Collection<VolumeSnapshotClass> volumeSnapshotClassesOf(String driver) {
        return volumeSnapshotClasses().stream().filter(vsc -> driver.equals(vsc.getDriver())).toList();
    }

    Optional<StorageProfile> storageProfile(String name);

    Collection<StorageProfile> storageProfiles();

    /** StorageProfiles that carry the annotation {@code key}; views that can, answer from an index. */
    default Collection<StorageProfile> storageProfilesAnnotatedWith(String key) {
        return storageProfiles().stream().filter(profile -> profile.hasAnnotation(key)).toList();
    }

    Optional<PersistentVolumeClaim> persistentVolumeClaim(String namespace, String name);

    /** PersistentVolumeClaims; a live view holds only those carrying the DataImportCron label. */
    Collection<PersistentVolumeClaim> persistentVolumeClaims();

    Optional<DataImportCron> dataImportCron(String namespace, String name);

    Collection<DataImportCron> dataImportCrons();

    /** VolumeSnapshots that carry the DataImportCron label. */
    Collection<VolumeSnapshot> dataImportCronSnapshots();

    /** The CDI resources (normally one, or none where CDI's CRD is missing or was not dumped). */
    Collection<Cdi> cdis();
}
