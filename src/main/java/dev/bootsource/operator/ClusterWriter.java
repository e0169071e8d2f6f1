package dev.bootsource.operator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bootsource.model.StorageProfile;
import dev.bootsource.model.VolumeSnapshotClass;
import dev.bootsource.policy.BootSourcePolicy;
import dev.bootsource.policy.SnapshotClassToCreate;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

import java.util.Map;

/**
 * The only two writes the reconciler makes: an annotation merge patch, and creating a snapshot class (after
 * one read that checks the API server does not already serve a matching class).
 */
final class ClusterWriter {

    static final int CONFLICT = 409;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesClient client;

    ClusterWriter(KubernetesClient client) {
        this.client = client;
    }

    /**
     * Sends exactly {@code patch} (key to new value, null to remove) as a JSON merge patch of the profile's
     * annotations. The patch carries the resourceVersion the decision was made on, so a profile someone
     * changed meanwhile is not overwritten: the API server answers 409 and the reconcile decides again.
     *
     * @return the profile as the API server stored it
     * @throws KubernetesClientException with code 409 when the profile changed since it was read
     */
    StorageProfile patchAnnotations(StorageProfile decidedOn, Map<String, String> patch) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode metadata = body.putObject("metadata");
        metadata.put("resourceVersion", decidedOn.getMetadata().getResourceVersion());
        ObjectNode annotations = metadata.putObject("annotations");
        patch.forEach(annotations::put);
        // Name-only target: the client would otherwise GET the profile first to learn where to send the patch.
        StorageProfile target = new StorageProfile();
        target.setMetadata(new ObjectMetaBuilder().withName(decidedOn.getMetadata().getName()).build());
        return client.resource(target).patch(PatchContext.of(PatchType.JSON_MERGE), body.toString());
    }

    /**
     * Creates the class. Idempotent: when it already exists (another reconcile, or another replica during
     * a leader hand-over, created it first) that is success.
     *
     * @return true when this call created it
     */
    /** Whether the API server, not the cache, already has a class that would serve as {@code toCreate}. */
    boolean matchingSnapshotClassServed(SnapshotClassToCreate toCreate) {
        return client.resources(VolumeSnapshotClass.class).list().getItems().stream()
                .anyMatch(vsc -> BootSourcePolicy.matches(vsc, toCreate.driver(), toCreate.parameters()));
    }

    boolean createSnapshotClass(VolumeSnapshotClass snapshotClass) {
        try {
            client.resource(snapshotClass).create();
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == CONFLICT) {
                return false;
            }
            throw e;
        }
    }
}
