package dev.bootsource.policy;

import dev.bootsource.capabilities.ProvisionerFacts;
import dev.bootsource.cluster.ClusterView;
import dev.bootsource.model.Keys;
import dev.bootsource.model.VolumeSnapshotClass;
import io.fabric8.kubernetes.api.model.storage.StorageClass;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where CDI manages boot sources (spec §3.1), the places a profile says one thing and CDI will do
 * another: a user's RWO or VSC that CDI ignores, and a regional class CDI would snapshot with an
 * {@code images} class the driver refuses. Each warning names the remedy.
 */
final class CdiConflicts {

    private CdiConflicts() {
    }

    static List<String> warnings(ClusterView cluster, StorageClass storageClass, ProvisionerFacts facts,
                                 Map<String, String> annotations) {
        String name = storageClass.getMetadata().getName();
        ProfileReconciliation profile = new ProfileReconciliation(annotations);
        List<String> warnings = new ArrayList<>();

        String upstreamRwo = annotations.get(Keys.UPSTREAM_USE_RWO);
        if (profile.userSet(Keys.USE_RWO_FOR_BOOT_SOURCES)) {
            boolean wanted = "true".equalsIgnoreCase(annotations.get(Keys.USE_RWO_FOR_BOOT_SOURCES));
            boolean cdiWill = "true".equalsIgnoreCase(upstreamRwo);
            if (wanted != cdiWill) {
                warnings.add("CDI manages boot sources and ignores " + Keys.USE_RWO_FOR_BOOT_SOURCES + "="
                        + annotations.get(Keys.USE_RWO_FOR_BOOT_SOURCES) + "; it imports golden images of " + name
                        + (cdiWill ? " ReadWriteOnce" : " with the profile's access modes") + " because "
                        + Keys.UPSTREAM_USE_RWO + (upstreamRwo == null ? " is not set" : "=" + upstreamRwo)
                        + ". Set " + Keys.UPSTREAM_USE_RWO + "=\"" + wanted + "\" on this profile instead (CDI keeps a value set there)");
            }
        }

        Optional<CdiSnapshotClass.Choice> cdiClass = CdiSnapshotClass.of(cluster, storageClass);
        if (profile.userSet(Keys.SNAPSHOT_CLASS_FOR_BOOT_SOURCES)) {
            String wanted = annotations.get(Keys.SNAPSHOT_CLASS_FOR_BOOT_SOURCES);
            if (cdiClass.isEmpty() || !cdiClass.get().name().equals(wanted)) {
                warnings.add("CDI manages boot sources and ignores " + Keys.SNAPSHOT_CLASS_FOR_BOOT_SOURCES + "=" + wanted
                        + "; it takes golden snapshots of " + name + " with "
                        + cdiClass.map(c -> c.name() + " (" + c.reason() + ")").orElse("the default class")
                        + ". " + Keys.UPSTREAM_SNAPSHOT_CLASS + " cannot be pinned: CDI rewrites it on every reconcile to "
                        + "the matching class marked " + Keys.DEFAULT_SNAPSHOT_CLASS + ", else the smallest name; "
                        + "to get " + wanted + ", make it the only matching class of driver " + storageClass.getProvisioner());
            }
        }

        Optional<String> regional = facts.bootSource().imagesSnapshotUnsupported(storageClass.getParameters());
        Map<String, String> imagesParameters = facts.bootSource().snapshotClassParameters();
        if (regional.isPresent() && cdiClass.isPresent() && !imagesParameters.isEmpty()) {
            boolean refused = cluster.volumeSnapshotClass(cdiClass.get().name()).stream()
                    .map(VolumeSnapshotClass::parametersOrEmpty)
                    .anyMatch(parameters -> parameters.entrySet().containsAll(imagesParameters.entrySet()));
            if (refused) {
                warnings.add(regional.get() + ", but CDI takes golden snapshots of " + name + " with "
                        + cdiClass.get().name() + ", which has " + imagesParameters + ": the driver will refuse them and "
                        + "golden images of " + name + " never become ready. Import these DataImportCrons' golden images "
                        + "onto a zonal class instead (the template's storageClassName)");
            }
        }
        return warnings;
    }
}
