package dev.bootsource.restore;

import dev.bootsource.model.StorageProfile;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads what {@link ClaimShapeChoice} needs from the cluster, and no more: the StorageClasses, the chosen class's
 * StorageProfile, and the nodes only for a WaitForFirstConsumer class without {@code --node}.
 */
public final class ClaimShapeResolver {

    private final KubernetesClient client;

    public ClaimShapeResolver(KubernetesClient client) {
        this.client = client;
    }

    /**
     * @throws IllegalArgumentException when the class or size cannot be used (the message says which)
     * @throws IllegalStateException    when a node is needed and none can be found
     */
    public ClaimShapeChoice.Chosen resolve(RestoreTestSettings settings, GoldenImage image) {
        List<String> notes = new ArrayList<>();
        List<StorageClass> storageClasses;
        try {
            storageClasses = client.storage().v1().storageClasses().list().getItems();
        } catch (KubernetesClientException e) {
            storageClasses = List.of();
            notes.add("cannot list StorageClasses (" + ApiErrors.message(e) + "); the PVCs leave the class to the cluster default");
        }
        Optional<StorageClass> storageClass = ClaimShapeChoice.storageClass(settings.storageClass(), storageClasses);
        Optional<String> storageClassName = ClaimShapeChoice.storageClassName(settings.storageClass(), storageClass);
        List<Map<String, Object>> propertySets = storageClassName.map(this::claimPropertySets).orElse(List.of());
        ClaimShapeChoice.size(settings, image);
        List<Node> nodes = ClaimShapeChoice.needsNode(settings, storageClass) ? nodes(storageClassName.orElseThrow()) : List.of();
        ClaimShapeChoice.Chosen chosen = ClaimShapeChoice.choose(settings, image, storageClass, propertySets, nodes);
        notes.addAll(chosen.notes());
        return new ClaimShapeChoice.Chosen(chosen.shape(), notes);
    }

    /** The profile's claimPropertySets (status, else spec): CDI takes the first for a VM disk. */
    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> claimPropertySets(String storageClass) {
        StorageProfile profile;
        try {
            profile = client.resources(StorageProfile.class).withName(storageClass).get();
        } catch (KubernetesClientException e) {
            return List.of();
        }
        if (profile == null) {
            return List.of();
        }
        for (var section : List.of(Optional.ofNullable(profile.getStatus()), Optional.ofNullable(profile.getSpec()))) {
            Object sets = section.map(s -> s.getAdditionalProperties().get("claimPropertySets")).orElse(null);
            if (sets instanceof List<?> list && !list.isEmpty()) {
                return list.stream().filter(Map.class::isInstance).map(set -> (Map<String, Object>) set).toList();
            }
        }
        return List.of();
    }

    private List<Node> nodes(String storageClass) {
        try {
            return client.nodes().list().getItems();
        } catch (KubernetesClientException e) {
            throw new IllegalStateException("StorageClass " + storageClass + " waits for the first consumer and the nodes "
                    + "cannot be listed (" + ApiErrors.message(e) + "); pass --node NAME");
        }
    }
}
