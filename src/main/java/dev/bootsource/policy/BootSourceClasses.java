package dev.bootsource.policy;

import dev.bootsource.cluster.ClusterView;
import dev.bootsource.model.Keys;
import dev.bootsource.model.VolumeSnapshotClass;
import io.fabric8.kubernetes.api.model.storage.StorageClass;

import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Recognises the classes a boot-source set-up adds next to the defaults: images-only StorageClasses
 * (step 1 of the manual GCP workaround, or what {@code workaround} emits) and boot-source ("images") VolumeSnapshotClasses.
 */
public final class BootSourceClasses {

    private final BootSourcePolicy policy;

    public BootSourceClasses(BootSourcePolicy policy) {
        this.policy = policy;
    }

    /**
     * A StorageClass kept for golden images only: one {@code workaround} emitted (it carries
     * {@value Keys#CREATED_FOR_STORAGE_CLASS}), or one named like the manual workaround's {@code cnv-images}.
     */
    public static boolean isImagesOnly(StorageClass storageClass) {
        Map<String, String> annotations = storageClass.getMetadata().getAnnotations();
        return (annotations != null && annotations.containsKey(Keys.CREATED_FOR_STORAGE_CLASS))
                || storageClass.getMetadata().getName().endsWith(BootSourcePolicy.IMAGES_SUFFIX);
    }

    /**
     * An existing images-only copy of {@code original}: the class created for it, else {@code <original>-images},
     * else any images-only class with the same provisioner and parameters (the manual workaround's {@code cnv-images}).
     */
    public static Optional<StorageClass> imagesOnlyCopyOf(ClusterView cluster, StorageClass original) {
        String name = original.getMetadata().getName();
        Comparator<StorageClass> preference = Comparator
                .comparing((StorageClass sc) -> !name.equals(annotation(sc, Keys.CREATED_FOR_STORAGE_CLASS)))
                .thenComparing(sc -> !sc.getMetadata().getName().equals(name + BootSourcePolicy.IMAGES_SUFFIX))
                .thenComparing(sc -> sc.getMetadata().getName());
        return cluster.storageClasses().stream()
                .filter(sc -> !sc.getMetadata().getName().equals(name))
                .filter(BootSourceClasses::isImagesOnly)
                .filter(sc -> name.equals(annotation(sc, Keys.CREATED_FOR_STORAGE_CLASS))
                        || sc.getMetadata().getName().equals(name + BootSourcePolicy.IMAGES_SUFFIX)
                        || sameStorage(sc, original))
                .filter(sc -> Objects.equals(sc.getProvisioner(), original.getProvisioner()))
                .min(preference);
    }

    /**
     * A VolumeSnapshotClass made for golden images: it carries the boot-source parameters (e.g.
     * {@code snapshot-type: images}) of a StorageClass of its driver, so it must never be the default.
     */
    public boolean isBootSourceSnapshotClass(ClusterView cluster, VolumeSnapshotClass snapshotClass) {
        return cluster.storageClasses().stream()
                .filter(sc -> sc.getProvisioner() != null && sc.getProvisioner().equals(snapshotClass.getDriver()))
                .map(sc -> policy.catalog().factsOf(policy.keyOf(sc)).bootSource().snapshotClassParameters())
                .anyMatch(wanted -> !wanted.isEmpty()
                        && snapshotClass.parametersOrEmpty().entrySet().containsAll(wanted.entrySet()));
    }

    public static boolean isDefaultSnapshotClass(VolumeSnapshotClass snapshotClass) {
        return snapshotClass.isDefault();
    }

    public static boolean isDefaultStorageClass(StorageClass storageClass) {
        return DefaultStorageClass.isAnyDefault(storageClass);
    }

    private static boolean sameStorage(StorageClass a, StorageClass b) {
        return Objects.equals(a.getProvisioner(), b.getProvisioner())
                && Objects.equals(orEmpty(a.getParameters()), orEmpty(b.getParameters()));
    }

    private static Map<String, String> orEmpty(Map<String, String> map) {
        return map == null ? Map.of() : map;
    }

    private static String annotation(StorageClass storageClass, String key) {
        return annotation(storageClass.getMetadata().getAnnotations(), key);
    }

    private static String annotation(Map<String, String> annotations, String key) {
        return annotations == null ? null : annotations.get(key);
    }
}
