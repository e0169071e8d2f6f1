package dev.bootsource.policy;

import dev.bootsource.cluster.ClusterView;
import dev.bootsource.model.Keys;
import dev.bootsource.model.StorageProfile;
import dev.bootsource.model.VolumeSnapshotClass;
import io.fabric8.kubernetes.api.model.storage.StorageClass;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The class CDI v1.65+ takes golden snapshots of a StorageClass with, and deletes golden snapshots on
 * any other class for (spec §3.1): the profile's {@code snapshotClassForDataImportCron}; else the
 * profile's {@code status.snapshotClass} when that class belongs to the provisioner; else the driver's
 * default snapshot class; else the smallest-named class of the driver; else none.
 */
public final class CdiSnapshotClass {

    private CdiSnapshotClass() {
    }

    /** @param reason why CDI takes that class, for plan and events */
    public record Choice(String name, String reason) {
    }

    public static Optional<Choice> of(ClusterView cluster, StorageClass storageClass) {
        String provisioner = Optional.ofNullable(storageClass.getProvisioner()).orElse("");
        Optional<StorageProfile> profile = cluster.storageProfile(storageClass.getMetadata().getName());
        Optional<String> upstream = profile
                .map(p -> p.getMetadata().getAnnotations())
                .map(annotations -> annotations.get(Keys.UPSTREAM_SNAPSHOT_CLASS))
                .filter(name -> !name.isBlank());
        if (upstream.isPresent()) {
            return Optional.of(new Choice(upstream.get(), "CDI's " + Keys.UPSTREAM_SNAPSHOT_CLASS + "=" + upstream.get()));
        }
        List<VolumeSnapshotClass> ofDriver = cluster.volumeSnapshotClassesOf(provisioner).stream()
                .sorted(Comparator.comparing(vsc -> vsc.getMetadata().getName()))
                .toList();
        Optional<String> status = profile.flatMap(StorageProfile::statusSnapshotClass)
                .filter(name -> ofDriver.stream().anyMatch(vsc -> name.equals(vsc.getMetadata().getName())));
        if (status.isPresent()) {
            return Optional.of(new Choice(status.get(), "the StorageProfile's status.snapshotClass " + status.get()));
        }
        Optional<String> driverDefault = ofDriver.stream()
                .filter(VolumeSnapshotClass::isDefault)
                .map(vsc -> vsc.getMetadata().getName())
                .findFirst();
        if (driverDefault.isPresent()) {
            return Optional.of(new Choice(driverDefault.get(), "the default VolumeSnapshotClass of driver " + provisioner));
        }
        return ofDriver.stream().findFirst().map(vsc -> new Choice(vsc.getMetadata().getName(),
                "the smallest-named VolumeSnapshotClass of driver " + provisioner));
    }
}
