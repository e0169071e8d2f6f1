package dev.bootsource.policy.verify;

import dev.bootsource.cluster.ClusterView;
import dev.bootsource.model.Cdi;
import dev.bootsource.model.Keys;
import dev.bootsource.model.StorageProfile;
import dev.bootsource.model.VolumeSnapshotClass;
import dev.bootsource.policy.BootSourceClasses;
import dev.bootsource.policy.ProfileDecision;
import io.fabric8.kubernetes.api.model.storage.StorageClass;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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

    /** The golden set-up of {@code storageClass}, given BootSource's decision for it. */
    static GoldenSetup of(ClusterView cluster, StorageClass storageClass, ProfileDecision decision) {
        Optional<StorageProfile> profile = cluster.storageProfile(storageClass.getMetadata().getName());
        Map<String, String> annotations = profile.map(p -> p.getMetadata().getAnnotations()).orElse(null);
        annotations = annotations == null ? Map.of() : annotations;
        if (cdiManagesBootSources(cluster)) {
            boolean rwo = "true".equalsIgnoreCase(annotations.get(Keys.UPSTREAM_USE_RWO));
            Optional<String> cdiClass = cdiClass(cluster, storageClass, profile, annotations);
            return new GoldenSetup(By.CDI, rwo, cdiClass, "CDI manages boot sources (" + cdiVersion(cluster)
                    .map(v -> "CDI " + v).orElse("its annotations are on the profiles") + "): golden images "
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

    /** CDI v1.65 or later, or, where no CDI resource is known, profiles carrying CDI's own annotations. */
    static boolean cdiManagesBootSources(ClusterView cluster) {
        Optional<String> version = cdiVersion(cluster);
        if (version.isPresent()) {
            return compare(version.get(), MANAGING_VERSION) >= 0;
        }
        return cluster.storageClasses().stream()
                .map(sc -> cluster.storageProfile(sc.getMetadata().getName()))
                .flatMap(Optional::stream)
                .map(p -> p.getMetadata().getAnnotations())
                .filter(Objects::nonNull)
                .anyMatch(a -> a.containsKey(Keys.UPSTREAM_USE_RWO) || a.containsKey(Keys.UPSTREAM_SNAPSHOT_CLASS));
    }

    private static Optional<String> cdiVersion(ClusterView cluster) {
        return cluster.cdis().stream().map(Cdi::getStatus).filter(Objects::nonNull)
                .map(Cdi.Status::getObservedVersion).filter(v -> v != null && !v.isBlank()).findFirst();
    }

    /** CDI's class: its annotation, else the profile's status class of the right driver, else the driver's default, else the smallest name. */
    private static Optional<String> cdiClass(ClusterView cluster, StorageClass storageClass, Optional<StorageProfile> profile,
                                             Map<String, String> annotations) {
        if (annotations.get(Keys.UPSTREAM_SNAPSHOT_CLASS) != null) {
            return Optional.of(annotations.get(Keys.UPSTREAM_SNAPSHOT_CLASS));
        }
        String driver = storageClass.getProvisioner();
        List<VolumeSnapshotClass> ofDriver = cluster.volumeSnapshotClasses().stream()
                .filter(vsc -> Objects.equals(vsc.getDriver(), driver))
                .sorted(Comparator.comparing(vsc -> vsc.getMetadata().getName()))
                .toList();
        Optional<String> status = profile.flatMap(StorageProfile::statusSnapshotClass)
                .filter(name -> ofDriver.stream().anyMatch(vsc -> vsc.getMetadata().getName().equals(name)));
        return status
                .or(() -> ofDriver.stream().filter(BootSourceClasses::isDefaultSnapshotClass).findFirst().map(v -> v.getMetadata().getName()))
                .or(() -> ofDriver.stream().findFirst().map(v -> v.getMetadata().getName()));
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

    /** Compares versions like v1.65.0 numerically, part by part. */
    static int compare(String a, String b) {
        String[] x = a.replaceFirst("^v", "").split("[.-]");
        String[] y = b.replaceFirst("^v", "").split("[.-]");
        for (int i = 0; i < Math.min(3, Math.max(x.length, y.length)); i++) {
            int p = i < x.length ? number(x[i]) : 0;
            int q = i < y.length ? number(y[i]) : 0;
            if (p != q) {
                return Integer.compare(p, q);
            }
        }
        return 0;
    }

    private static int number(String part) {
        String digits = part.replaceAll("\\D.*$", "");
        return digits.isEmpty() ? 0 : Integer.parseInt(digits);
    }
}
