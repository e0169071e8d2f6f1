package dev.bootsource.cluster;

import dev.bootsource.model.Cdi;
import dev.bootsource.model.DataImportCron;
import dev.bootsource.model.DataVolume;
import dev.bootsource.model.Keys;
import dev.bootsource.model.StorageProfile;
import dev.bootsource.model.VolumeSnapshot;
import dev.bootsource.model.VolumeSnapshotClass;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.storage.StorageClass;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
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
    private final List<Cdi> cdis;
    private final List<DataVolume> dataVolumes;
    private final List<GenericKubernetesResource> dataSources;
    private final List<GenericKubernetesResource> hyperConvergeds;
    private final Map<String, List<StorageClass>> storageClassesByProvisioner;
    private final Map<String, List<VolumeSnapshotClass>> snapshotClassesByDriver;

    public ClusterSnapshot(
            Collection<StorageClass> storageClasses,
            Collection<VolumeSnapshotClass> snapshotClasses,
            Collection<StorageProfile> storageProfiles,
            Collection<PersistentVolumeClaim> claims,
            Collection<DataImportCron> crons,
            Collection<VolumeSnapshot> snapshots) {
        this(storageClasses, snapshotClasses, storageProfiles, claims, crons, snapshots, List.of(), List.of(), List.of(),
                List.of());
    }

    private ClusterSnapshot(
            Collection<StorageClass> storageClasses,
            Collection<VolumeSnapshotClass> snapshotClasses,
            Collection<StorageProfile> storageProfiles,
            Collection<PersistentVolumeClaim> claims,
            Collection<DataImportCron> crons,
            Collection<VolumeSnapshot> snapshots,
            Collection<Cdi> cdis,
            Collection<DataVolume> dataVolumes,
            Collection<GenericKubernetesResource> dataSources,
            Collection<GenericKubernetesResource> hyperConvergeds) {
        this.cdis = List.copyOf(byName(cdis).values());
        this.dataVolumes = List.copyOf(byNamespacedName(dataVolumes).values());
        this.dataSources = List.copyOf(byNamespacedName(dataSources).values());
        this.hyperConvergeds = List.copyOf(byNamespacedName(hyperConvergeds).values());
        this.storageClasses = byName(storageClasses);
        this.snapshotClasses = byName(snapshotClasses);
        this.storageProfiles = byName(storageProfiles);
        this.storageClassesByProvisioner = groupedBy(this.storageClasses.values(), StorageClass::getProvisioner);
        this.snapshotClassesByDriver = groupedBy(this.snapshotClasses.values(), VolumeSnapshotClass::getDriver);
        this.claims = byNamespacedName(claims);
        this.crons = byNamespacedName(crons);
        this.cronSnapshots = byNamespacedName(snapshots).values().stream()
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
    public Collection<StorageClass> storageClassesOf(String provisioner) {
        return storageClassesByProvisioner.getOrDefault(provisioner, List.of());
    }

    @Override
    public Optional<VolumeSnapshotClass> volumeSnapshotClass(String name) {
        return Optional.ofNullable(snapshotClasses.get(name));
    }

    @Override
    public Collection<VolumeSnapshotClass> volumeSnapshotClassesOf(String driver) {
        return snapshotClassesByDriver.getOrDefault(driver, List.of());
    }

    @Override
    public Optional<StorageProfile> storageProfile(String name) {
        return Optional.ofNullable(storageProfiles.get(name));
    }

    @Override
    public Collection<StorageProfile> storageProfiles() {
        return storageProfiles.values();
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

    @Override
    public Collection<Cdi> cdis() {
        return cdis;
    }

    /** DataVolumes (VM disks among them); empty where the input has none. Not part of {@link ClusterView}. */
    public Collection<DataVolume> dataVolumes() {
        return dataVolumes;
    }

    /** CDI DataSources ({@code cdi.kubevirt.io/v1beta1}), the names VMs boot from. */
    public Collection<GenericKubernetesResource> dataSources() {
        return dataSources;
    }

    /** HyperConverged resources ({@code hco.kubevirt.io}), normally one. */
    public Collection<GenericKubernetesResource> hyperConvergeds() {
        return hyperConvergeds;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from this state, for what-if views that change some kinds. */
    public Builder toBuilder() {
        return new Builder()
                .storageClasses(storageClasses.values())
                .volumeSnapshotClasses(snapshotClasses.values())
                .storageProfiles(storageProfiles.values())
                .persistentVolumeClaims(claims.values())
                .dataImportCrons(crons.values())
                .volumeSnapshots(cronSnapshots)
                .cdis(cdis)
                .dataVolumes(dataVolumes)
                .dataSources(dataSources)
                .hyperConvergeds(hyperConvergeds);
    }

    /** Collects objects kind by kind; each setter replaces what was there for its kind. */
    public static final class Builder {
        private Collection<StorageClass> storageClasses = List.of();
        private Collection<VolumeSnapshotClass> snapshotClasses = List.of();
        private Collection<StorageProfile> storageProfiles = List.of();
        private Collection<PersistentVolumeClaim> claims = List.of();
        private Collection<DataImportCron> crons = List.of();
        private Collection<VolumeSnapshot> snapshots = List.of();
        private Collection<Cdi> cdis = List.of();
        private Collection<DataVolume> dataVolumes = List.of();
        private Collection<GenericKubernetesResource> dataSources = List.of();
        private Collection<GenericKubernetesResource> hyperConvergeds = List.of();

        private Builder() {
        }

        public Builder storageClasses(Collection<StorageClass> objects) {
            storageClasses = new ArrayList<>(objects);
            return this;
        }

        public Builder volumeSnapshotClasses(Collection<VolumeSnapshotClass> objects) {
            snapshotClasses = new ArrayList<>(objects);
            return this;
        }

        public Builder storageProfiles(Collection<StorageProfile> objects) {
            storageProfiles = new ArrayList<>(objects);
            return this;
        }

        public Builder persistentVolumeClaims(Collection<PersistentVolumeClaim> objects) {
            claims = new ArrayList<>(objects);
            return this;
        }

        public Builder dataImportCrons(Collection<DataImportCron> objects) {
            crons = new ArrayList<>(objects);
            return this;
        }

        public Builder volumeSnapshots(Collection<VolumeSnapshot> objects) {
            snapshots = new ArrayList<>(objects);
            return this;
        }

        public Builder cdis(Collection<Cdi> objects) {
            cdis = new ArrayList<>(objects);
            return this;
        }

        public Builder dataVolumes(Collection<DataVolume> objects) {
            dataVolumes = new ArrayList<>(objects);
            return this;
        }

        public Builder dataSources(Collection<GenericKubernetesResource> objects) {
            dataSources = new ArrayList<>(objects);
            return this;
        }

        public Builder hyperConvergeds(Collection<GenericKubernetesResource> objects) {
            hyperConvergeds = new ArrayList<>(objects);
            return this;
        }

        public ClusterSnapshot build() {
            return new ClusterSnapshot(storageClasses, snapshotClasses, storageProfiles, claims, crons, snapshots, cdis,
                    dataVolumes, dataSources, hyperConvergeds);
        }
    }

    /** Sorted by name, so every reader of the same objects sees them in the same order. */
    private static <T extends HasMetadata> Map<String, T> byName(Collection<T> objects) {
        return Collections.unmodifiableMap(objects.stream().collect(Collectors.toMap(
                o -> o.getMetadata().getName(), Function.identity(), (first, second) -> second, TreeMap::new)));
    }

    /** Objects grouped by a key (objects without one are left out), each group a list that cannot change. */
    private static <T> Map<String, List<T>> groupedBy(Collection<T> objects, Function<T, String> key) {
        return objects.stream().filter(o -> key.apply(o) != null).collect(Collectors.collectingAndThen(
                Collectors.groupingBy(key, Collectors.toUnmodifiableList()), Map::copyOf));
    }

    private static <T extends HasMetadata> Map<String, T> byNamespacedName(Collection<T> objects) {
        return Collections.unmodifiableMap(objects.stream().collect(Collectors.toMap(
                o -> o.getMetadata().getNamespace() + "/" + o.getMetadata().getName(),
                Function.identity(), (first, second) -> second, TreeMap::new)));
    }
}
