package dev.bootsource.restore;

import dev.bootsource.errors.InvalidInputException;
import dev.bootsource.cluster.ClusterSnapshot;
import dev.bootsource.model.Keys;
import dev.bootsource.policy.DefaultStorageClass;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.storage.StorageClass;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How each restored PVC is shaped: like a VM disk made from the golden image. A pure function of what was asked
 * and of what the cluster says (its StorageClasses, the chosen class's StorageProfile, its nodes).
 *
 * <ul>
 *   <li>Storage class: {@code --storage-class}, else the default virt class, else the default class.</li>
 *   <li>Access and volume mode: the first claim property set of that class's StorageProfile (what CDI gives a
 *       VM disk), unless given; ReadWriteOnce when the profile says nothing.</li>
 *   <li>Size: {@code --size}, else the image's restore size.</li>
 *   <li>Node: for a WaitForFirstConsumer class, {@code --node} or the first Ready, untainted, schedulable node
 *       by name, set as the scheduler would.</li>
 * </ul>
 */
public final class ClaimShapeChoice {

    private static final String WAIT_FOR_FIRST_CONSUMER = "WaitForFirstConsumer";

    private ClaimShapeChoice() {
    }

    /**
     * The shape, and what the admin should know about it.
     *
     * @param shape what each PVC asks for
     * @param notes e.g. that {@code --node} is not used by a class that binds immediately
     */
    public record Chosen(ClaimShape shape, List<String> notes) {
        public Chosen {
            notes = List.copyOf(notes);
        }
    }

    /**
     * The StorageClass of the PVCs: the one asked for, else the default virt class, else the default class.
     * Empty when none applies, or when the asked-for class is not in an empty list (the classes could not be read).
     *
     * @throws IllegalArgumentException when the asked-for class is not among those listed
     */
    public static Optional<StorageClass> storageClass(Optional<String> requested, List<StorageClass> listed) {
        if (requested.isPresent()) {
            String name = requested.get();
            Optional<StorageClass> found = listed.stream().filter(sc -> name.equals(sc.getMetadata().getName())).findFirst();
            if (found.isEmpty() && !listed.isEmpty()) {
                throw new InvalidInputException("StorageClass " + name + " (--storage-class) does not exist");
            }
            return found;
        }
        return DefaultStorageClass.resolve(ClusterSnapshot.builder().storageClasses(listed).build());
    }

    /** The name the PVCs carry: the one asked for, else the chosen class's; empty leaves it to the cluster. */
    public static Optional<String> storageClassName(Optional<String> requested, Optional<StorageClass> storageClass) {
        return requested.or(() -> storageClass.map(sc -> sc.getMetadata().getName()));
    }

    /** Whether a node must be chosen for the PVCs: the class waits for the first consumer and none was given. */
    public static boolean needsNode(RestoreTestSettings settings, Optional<StorageClass> storageClass) {
        return waitsForFirstConsumer(storageClass) && settings.node().isEmpty();
    }

    /** The size of each PVC: {@code --size}, else the image's restore size. */
    public static String size(RestoreTestSettings settings, GoldenImage image) {
        return settings.size().or(image::restoreSize).orElseThrow(() -> new InvalidInputException(
                image.describe() + " does not say its size (no restoreSize yet); pass --size"));
    }

    /** The first Ready, untainted, schedulable node by name. */
    public static Optional<String> firstSchedulableNode(List<Node> nodes) {
        return nodes.stream()
                .filter(ClaimShapeChoice::schedulable)
                .map(node -> node.getMetadata().getName())
                .min(Comparator.naturalOrder());
    }

    /**
     * @param storageClass      the chosen class ({@link #storageClass})
     * @param claimPropertySets the claim property sets of that class's StorageProfile, in order (none: no profile)
     * @param nodes             the cluster's nodes, when {@link #needsNode} (else not read, and empty)
     * @throws IllegalArgumentException when no size is known
     * @throws IllegalStateException    when a node is needed and none is Ready and schedulable
     */
    public static Chosen choose(
            RestoreTestSettings settings,
            GoldenImage image,
            Optional<StorageClass> storageClass,
            List<Map<String, Object>> claimPropertySets,
            List<Node> nodes) {
        List<String> notes = new ArrayList<>();
        Optional<String> storageClassName = storageClassName(settings.storageClass(), storageClass);
        List<String> accessModes = settings.accessMode().map(List::of)
                .orElseGet(() -> claimPropertySets.stream().map(set -> strings(set.get("accessModes")))
                        .filter(modes -> !modes.isEmpty()).findFirst().orElse(List.of(Keys.READ_WRITE_ONCE)));
        Optional<String> volumeMode = settings.volumeMode().or(() -> claimPropertySets.stream()
                .filter(set -> strings(set.get("accessModes")).containsAll(accessModes))
                .map(set -> set.get("volumeMode"))
                .filter(Objects::nonNull)
                .map(Object::toString)
                .findFirst());
        String size = size(settings, image);

        Optional<String> node = Optional.empty();
        if (waitsForFirstConsumer(storageClass)) {
            node = Optional.of(settings.node().orElseGet(() -> firstSchedulableNode(nodes).orElseThrow(
                    () -> new IllegalStateException("StorageClass " + storageClassName.orElseThrow() + " waits for the first "
                            + "consumer and no node is Ready and schedulable; pass --node NAME"))));
        } else if (settings.node().isPresent()) {
            notes.add("--node is only used for a WaitForFirstConsumer class; "
                    + storageClassName.orElse("the default class") + " binds immediately");
        }
        return new Chosen(new ClaimShape(storageClassName, accessModes, volumeMode, size, node), notes);
    }

    /** What to know about restoring this image into that namespace: not ready yet, a clone, a cross-namespace source. */
    public static List<String> imageNotes(GoldenImage image, String targetNamespace) {
        List<String> notes = new ArrayList<>();
        if (!image.ready()) {
            notes.add(image.describe() + (image.kind() == GoldenImage.Kind.VOLUME_SNAPSHOT
                    ? " is not readyToUse yet; restores wait for it" : " is not Bound yet; clones wait for it"));
        }
        if (image.kind() == GoldenImage.Kind.PERSISTENT_VOLUME_CLAIM) {
            notes.add("the golden image is a PVC, so this tests clones of it, not restores of a snapshot");
        }
        if (!image.namespace().equals(targetNamespace)) {
            notes.add("the PVCs are in " + targetNamespace + " and the golden image in " + image.namespace()
                    + ": a cross-namespace dataSourceRef needs the CrossNamespaceVolumeDataSource feature and a ReferenceGrant");
        }
        return notes;
    }

    private static boolean waitsForFirstConsumer(Optional<StorageClass> storageClass) {
        return storageClass.map(sc -> WAIT_FOR_FIRST_CONSUMER.equals(sc.getVolumeBindingMode())).orElse(false);
    }

    private static boolean schedulable(Node node) {
        if (node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable())) {
            return false;
        }
        boolean tainted = node.getSpec() != null && node.getSpec().getTaints() != null && node.getSpec().getTaints().stream()
                .anyMatch(taint -> "NoSchedule".equals(taint.getEffect()) || "NoExecute".equals(taint.getEffect()));
        boolean ready = node.getStatus() != null && node.getStatus().getConditions() != null && node.getStatus().getConditions()
                .stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
        return ready && !tainted;
    }

    private static List<String> strings(Object value) {
        return value instanceof List<?> list ? list.stream().map(Object::toString).toList() : List.of();
    }
}
