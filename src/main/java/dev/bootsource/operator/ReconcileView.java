package dev.bootsource.operator;

import dev.bootsource.cluster.ClusterView;
import dev.bootsource.model.DataImportCron;
import dev.bootsource.model.StorageProfile;
import dev.bootsource.model.VolumeSnapshot;
import dev.bootsource.model.VolumeSnapshotClass;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.storage.StorageClass;

import java.util.Collection;
import java.util.Optional;

/**
 * The state one reconcile decides on: the informer caches, except that the profile being reconciled is
 * the version the operator framework handed over. That version includes BootSource's own latest write
 * before the watch has echoed it, so a reconcile never decides on (and re-sends) a stale profile.
 */
final class ReconcileView implements ClusterView {

    private final ClusterView cluster;
    private final StorageProfile reconciled;

    ReconcileView(ClusterView cluster, StorageProfile reconciled) {
        this.cluster = cluster;
        this.reconciled = reconciled;
    }

    @Override
    public Optional<StorageProfile> storageProfile(String name) {
        return reconciled.getMetadata().getName().equals(name) ? Optional.of(reconciled) : cluster.storageProfile(name);
    }

    @Override
    public Collection<StorageClass> storageClasses() {
        return cluster.storageClasses();
    }

    @Override
    public Optional<StorageClass> storageClass(String name) {
        return cluster.storageClass(name);
    }

    @Override
    public Collection<VolumeSnapshotClass> volumeSnapshotClasses() {
        return cluster.volumeSnapshotClasses();
    }

    @Override
    public Optional<PersistentVolumeClaim> persistentVolumeClaim(String namespace, String name) {
        return cluster.persistentVolumeClaim(namespace, name);
    }

    @Override
    public Collection<PersistentVolumeClaim> persistentVolumeClaims() {
        return cluster.persistentVolumeClaims();
    }

    @Override
    public Collection<DataImportCron> dataImportCrons() {
        return cluster.dataImportCrons();
    }

    @Override
    public Optional<DataImportCron> dataImportCron(String namespace, String name) {
        return cluster.dataImportCron(namespace, name);
    }

    @Override
    public Collection<VolumeSnapshot> dataImportCronSnapshots() {
        return cluster.dataImportCronSnapshots();
    }
}
