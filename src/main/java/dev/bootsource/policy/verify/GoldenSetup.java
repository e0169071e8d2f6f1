package dev.bootsource.policy.verify;

import dev.bootsource.cluster.ClusterView;
import dev.bootsource.model.Keys;
import dev.bootsource.model.StorageProfile;
import dev.bootsource.policy.BootSourceClasses;
import dev.bootsource.policy.CdiManagement;
import dev.bootsource.policy.CdiSnapshotClass;
import dev.bootsource.policy.ProfileDecision;
import io.fabric8.kubernetes.api.model.storage.StorageClass;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who decides how the golden images of one StorageClass are stored, and so what {@code verify} expects
 * of them: a CDI that manages boot sources itself (v1.65 and later), the manual workaround (a separate
 * images StorageClass whose profile names the snapshot class and offers ReadWriteOnce only), or
 * BootSource's policy (the annotations). Kept small and local to {@code verify}.
 *
 * @param by            who decides
 * @param readWriteOnce golden images are imported ReadWriteOnce
 * @param snapshotClass the class golden snapshots must be taken with, if one applies
 * @param reason        how that was found, for the report
 */
public record GoldenSetup(By by, boolean readWriteOnce, Optional<String> snapshotClass, String reason) {

    /** Who decides. */
    public enum By { CDI, MANUAL_WORKAROUND, BOOTSOURCE }

    private static final String MANAGING_VERSION = "v1.65.0";

    /** The golden set-up of {@code storageClass}, given BootSource's decision for it and which CDI runs. */
    static GoldenSetup of(ClusterView cluster, StorageClass storageClass, ProfileDecision decision, CdiManagement cdi) {
        Optional<StorageProfile> profile = cluster.storageProfile(storageClass.getMetadata().getName());
        Map<String, String> annotations = profile.map(p -> p.getMetadata().getAnnotations()).orElse(null);
        annotations = annotations == null ? Map.of() : annotations;
        if (cdi.managesBootSources()) {
            boolean rwo = "true".equalsIgnoreCase(annotations.get(Keys.UPSTREAM_USE_RWO));
            Optional<String> cdiClass = CdiSnapshotClass.of(cluster, storageClass).map(CdiSnapshotClass.Choice::name);
            return new GoldenSetup(By.CDI, rwo, cdiClass, "CDI, which manages boot sources (" + cdi.reason() + "): golden images "
                    + (rwo ? "ReadWriteOnce" : "with the profile's access modes") + ", snapshots with "
                    + cdiClass.orElse("no class CDI can pick"));
        }
        Optional<String> specClass = profile.flatMap(GoldenSetup::specSnapshotClass);
        if (specClass.isPresent() && (BootSourceClasses.isImagesOnly(storageClass) || readWriteOnceOnly(profile.get()))) {
            boolean rwo = readWriteOnceOnly(profile.get()) || decision.effectiveReadWriteOnce();
            return new GoldenSetup(By.MANUAL_WORKAROUND, rwo, specClass, "the manual workaround: StorageProfile "
                    + storageClass.getMetadata().getName() + " names snapshot class " + specClass.get()
                    + (readWriteOnceOnly(profile.get()) ? " and offers ReadWriteOnce only" : ""));
        }
        return new GoldenSetup(By.BOOTSOURCE, decision.effectiveReadWriteOnce(), decision.effectiveSnapshotClass(),
                "BootSource's policy (the boot-source annotations)");
    }

    private static Optional<String> specSnapshotClass(StorageProfile profile) {
        Object spec = profile.getSpec() == null ? null : profile.getSpec().getAdditionalProperties().get("snapshotClass");
        return spec instanceof String name && !name.isBlank() ? Optional.of(name) : Optional.empty();
    }

    /** The profile's spec offers claim property sets, all of them ReadWriteOnce (Step 4 of the manual workaround). */
    @SuppressWarnings("unchecked")
    private static boolean readWriteOnceOnly(StorageProfile profile) {
        Object sets = profile.getSpec() == null ? null : profile.getSpec().getAdditionalProperties().get("claimPropertySets");
        if (!(sets instanceof List<?> list) || list.isEmpty()) {
            return false;
        }
        return list.stream().allMatch(set -> set instanceof Map<?, ?> map
                && map.get("accessModes") instanceof List<?> modes
                && !modes.isEmpty() && modes.stream().allMatch(Keys.READ_WRITE_ONCE::equals));
    }
}
