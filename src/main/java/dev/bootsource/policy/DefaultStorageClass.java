package dev.bootsource.policy;

import dev.bootsource.cluster.ClusterView;
import dev.bootsource.model.Keys;
import io.fabric8.kubernetes.api.model.storage.StorageClass;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.Optional;

/**
 * The storage class a DataVolume without {@code storageClassName} lands on (spec §4): the default virt
 * class, else the default class; among several defaults the newest, then the smallest name.
 */
public final class DefaultStorageClass {

    private static final Comparator<StorageClass> NEWEST_THEN_NAME = Comparator
            .comparing(DefaultStorageClass::createdAt, Comparator.reverseOrder())
            .thenComparing(sc -> sc.getMetadata().getName());

    private DefaultStorageClass() {
    }

    public static Optional<StorageClass> resolve(ClusterView cluster) {
        return newestWith(cluster, Keys.DEFAULT_VIRT_STORAGE_CLASS)
                .or(() -> newestWith(cluster, Keys.DEFAULT_STORAGE_CLASS));
    }

    /** The named class when a name is given, else the default as above. */
    public static Optional<StorageClass> resolve(ClusterView cluster, Optional<String> requestedName) {
        return requestedName.isPresent() ? cluster.storageClass(requestedName.get()) : resolve(cluster);
    }

    /** Marked the default class for virtual machines ({@code storageclass.kubevirt.io/is-default-virt-class}). */
    public static boolean isVirtDefault(StorageClass storageClass) {
        return marked(storageClass, Keys.DEFAULT_VIRT_STORAGE_CLASS);
    }

    /** Marked a default class, for virtual machines or for the whole cluster. */
    public static boolean isAnyDefault(StorageClass storageClass) {
        return isVirtDefault(storageClass) || marked(storageClass, Keys.DEFAULT_STORAGE_CLASS);
    }

    private static boolean marked(StorageClass storageClass, String annotation) {
        return storageClass.getMetadata().getAnnotations() != null
                && "true".equals(storageClass.getMetadata().getAnnotations().get(annotation));
    }

    private static Optional<StorageClass> newestWith(ClusterView cluster, String annotation) {
        return cluster.storageClasses().stream()
                .filter(sc -> marked(sc, annotation))
                .min(NEWEST_THEN_NAME);
    }

    private static Instant createdAt(StorageClass sc) {
        String timestamp = sc.getMetadata().getCreationTimestamp();
        if (timestamp == null || timestamp.isBlank()) {
            return Instant.EPOCH;
        }
        try {
            return Instant.parse(timestamp);
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }
}
