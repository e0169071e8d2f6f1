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

/** A view that answers from another one; subclasses override only the lookups they change. */
public abstract class ForwardingClusterView implements ClusterView {

    /** The view asked for everything not overridden; may change between calls. */
    protected abstract ClusterView delegate();

    @Override
    public Collection<StorageClass> storageClasses() {
        return delegate().storageClasses();
    }

    @Override
    public Optional<StorageClass> storageClass(String name) {
        return delegate().storageClass(name);
    }

    @Override
    public Collection<VolumeSnapshotClass> volumeSnapshotClasses() {
        return delegate().volumeSnapshotClasses();
    }

    @Override
    public Collection<StorageClass> storageClassesOf(String provisioner) {
        return delegate().storageClassesOf(provisioner);
    }

    @Override
    public Optional<VolumeSnapshotClass> volumeSnapshotClass(String name) {
        return delegate().volumeSnapshotClass(name);
    }

    @Override
    public Collection<VolumeSnapshotClass> volumeSnapshotClassesOf(String driver) {
        return delegate().volumeSnapshotClassesOf(driver);
    }

    @Override
    public Optional<StorageProfile> storageProfile(String name) {
        return delegate().storageProfile(name);
    }

    @Override
    public Collection<StorageProfile> storageProfiles() {
        return delegate().storageProfiles();
    }

    @Override
    public Collection<StorageProfile> storageProfilesAnnotatedWith(String key) {
        return delegate().storageProfilesAnnotatedWith(key);
    }

    @Override
    public Optional<PersistentVolumeClaim> persistentVolumeClaim(String namespace, String name) {
        return delegate().persistentVolumeClaim(namespace, name);
    }

    @Override
    public Collection<PersistentVolumeClaim> persistentVolumeClaims() {
        return delegate().persistentVolumeClaims();
    }

    @Override
    public Optional<DataImportCron> dataImportCron(String namespace, String name) {
        return delegate().dataImportCron(namespace, name);
    }

    @Override
    public Collection<DataImportCron> dataImportCrons() {
        return delegate().dataImportCrons();
    }

    @Override
    public Collection<VolumeSnapshot> dataImportCronSnapshots() {
        return delegate().dataImportCronSnapshots();
    }

    @Override
    public Collection<Cdi> cdis() {
        return delegate().cdis();
    }
}
