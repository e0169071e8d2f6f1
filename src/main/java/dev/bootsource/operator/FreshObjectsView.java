package dev.bootsource.operator;

import dev.bootsource.cluster.ClusterView;
import dev.bootsource.cluster.ForwardingClusterView;
import dev.bootsource.model.DataImportCron;
import dev.bootsource.model.StorageProfile;
import dev.bootsource.model.VolumeSnapshot;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A cached view with one golden snapshot, its DataImportCron and its StorageProfile replaced by copies just
 * read from the API server, so a destructive decision is taken again on the objects as they are now.
 * A null stands for "the API server has no such object".
 */
final class FreshObjectsView extends ForwardingClusterView {

    private final ClusterView cached;
    private final VolumeSnapshot snapshot;
    private final DataImportCron cron;
    private final String profileName;
    private final StorageProfile profile;

    FreshObjectsView(ClusterView cached, VolumeSnapshot snapshot, DataImportCron cron,
                     String profileName, StorageProfile profile) {
        this.cached = cached;
        this.snapshot = snapshot;
        this.cron = cron;
        this.profileName = profileName;
        this.profile = profile;
    }

    @Override
    protected ClusterView delegate() {
        return cached;
    }

    @Override
    public Optional<DataImportCron> dataImportCron(String namespace, String name) {
        return isCron(namespace, name) ? Optional.ofNullable(cron) : cached.dataImportCron(namespace, name);
    }

    @Override
    public Collection<DataImportCron> dataImportCrons() {
        List<DataImportCron> crons = new ArrayList<>(cached.dataImportCrons());
        crons.removeIf(c -> isCron(c.getMetadata().getNamespace(), c.getMetadata().getName()));
        if (cron != null) {
            crons.add(cron);
        }
        return crons;
    }

    @Override
    public Optional<StorageProfile> storageProfile(String name) {
        return profileName.equals(name) ? Optional.ofNullable(profile) : cached.storageProfile(name);
    }

    @Override
    public Collection<StorageProfile> storageProfiles() {
        List<StorageProfile> profiles = new ArrayList<>(cached.storageProfiles());
        profiles.removeIf(p -> profileName.equals(p.getMetadata().getName()));
        if (profile != null) {
            profiles.add(profile);
        }
        return profiles;
    }

    @Override
    public Collection<StorageProfile> storageProfilesAnnotatedWith(String key) {
        List<StorageProfile> profiles = new ArrayList<>(cached.storageProfilesAnnotatedWith(key));
        profiles.removeIf(p -> profileName.equals(p.getMetadata().getName()));
        if (profile != null && profile.hasAnnotation(key)) {
            profiles.add(profile);
        }
        return profiles;
    }

    @Override
    public Collection<VolumeSnapshot> dataImportCronSnapshots() {
        List<VolumeSnapshot> snapshots = new ArrayList<>(cached.dataImportCronSnapshots());
        snapshots.removeIf(s -> Objects.equals(s.getMetadata().getNamespace(), snapshot.getMetadata().getNamespace())
                && Objects.equals(s.getMetadata().getName(), snapshot.getMetadata().getName()));
        snapshots.add(snapshot);
        return snapshots;
    }

    private boolean isCron(String namespace, String name) {
        return Objects.equals(namespace, snapshot.getMetadata().getNamespace())
                && Objects.equals(name, cronName());
    }

    private String cronName() {
        return snapshot.getMetadata().getLabels().get(dev.bootsource.model.Keys.DATA_IMPORT_CRON_LABEL);
    }
}
