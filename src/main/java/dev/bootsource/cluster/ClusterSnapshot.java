package dev.bootsource.cluster;

import dev.bootsource.model.DataImportCron;
import dev.bootsource.model.Keys;
import dev.bootsource.model.StorageProfile;
import dev.bootsource.model.VolumeSnapshot;
import dev.bootsource.model.VolumeSnapshotClass;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.storage.StorageClass;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** A fixed cluster state held in memory, e.g. read from {@code kubectl get -o yaml} dumps. */
public final class ClusterSnapshot implements ClusterView {

    private final Map<String, StorageClass> storageClasses;
    private final Map<String, VolumeSnapshotClass> snapshotClasses;
    private final Map<String, StorageProfile> storageProfiles;
    private final Map<String, PersistentVolumeClaim> claims;
    private final Map<String, DataImportCron> crons;
    private final List<VolumeSnapshot> cronSnapshots;

    public ClusterSnapshot(
            Collection<StorageClass> storageClasses,
            Collection<VolumeSnapshotClass> snapshotClasses,
            Collection<StorageProfile> storageProfiles,
            Collection<PersistentVolumeClaim> claims,
            Collection<DataImportCron> crons,
            Collection<VolumeSnapshot> snapshots) {
        this.storageClasses = byName(storageClasses);
        this.snapshotClasses = byName(snapshotClasses);
        this.storageProfiles = byName(storageProfiles);
        this.claims = byNamespacedName(claims);
        this.crons = byNamespacedName(crons);
        this.cronSnapshots = snapshots.stream()
                .filter(snapshot -> snapshot.getMetadata().getLabels() != null
                        && snapshot.getMetadata().getLabels().containsKey(Keys.DATA_IMPORT_CRON_LABEL))
                .toList();
    }

    @Override
    public Collection<StorageClass> storageClasses() {
        return storageClasses.values();
    }

    @Override
    public Optional<StorageClass> storageClass(String name) {
        return Optional.ofNullable(storageClasses.get(name));
    }

    @Override
    public Collection<VolumeSnapshotClass> volumeSnapshotClasses() {
        return snapshotClasses.values();
    }

    @Override
    public Optional<StorageProfile> storageProfile(String name) {
        return Optional.ofNullable(storageProfiles.get(name));
    }

    @Override
    public Optional<PersistentVolumeClaim> persistentVolumeClaim(String namespace, String name) {
        return Optional.ofNullable(claims.get(namespace + "/" + name));
    }

    @Override
    public Collection<PersistentVolumeClaim> persistentVolumeClaims() {
        return claims.values();
    }

    @Override
    public Collection<DataImportCron> dataImportCrons() {
        return crons.values();
    }

    @Override
    public Optional<DataImportCron> dataImportCron(String namespace, String name) {
        return Optional.ofNullable(crons.get(namespace + "/" + name));
    }

    @Override
    public Collection<VolumeSnapshot> dataImportCronSnapshots() {
        return cronSnapshots;
    }

    private static <T extends HasMetadata> Map<String, T> byName(Collection<T> objects) {
        return objects.stream().collect(Collectors.toUnmodifiableMap(
                o -> o.getMetadata().getName(), Function.identity(), (first, second) -> second));
    }

    private static <T extends HasMetadata> Map<String, T> byNamespacedName(Collection<T> objects) {
        return objects.stream().collect(Collectors.toUnmodifiableMap(
                o -> o.getMetadata().getNamespace() + "/" + o.getMetadata().getName(),
                Function.identity(), (first, second) -> second));
    }
}
