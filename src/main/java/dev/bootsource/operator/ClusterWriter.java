package dev.bootsource.operator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bootsource.model.DataImportCron;
import dev.bootsource.model.StorageProfile;
import dev.bootsource.model.VolumeSnapshot;
import dev.bootsource.model.VolumeSnapshotClass;
import dev.bootsource.policy.BootSourcePolicy;
import dev.bootsource.policy.SnapshotClassToCreate;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;

import java.net.MalformedURLException;
import java.net.URL;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Every write BootSource makes: annotation merge patches (StorageProfiles, and the recreation record on a
 * DataImportCron), creating a snapshot class (after one read that checks the API server does not already
 * serve a matching class), and deleting a stale golden snapshot under uid and resourceVersion preconditions.
 */
final class ClusterWriter {

    static final int CONFLICT = 409;
    private static final Duration DELETE_TIMEOUT = Duration.ofSeconds(30);
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
        // Name-only target: the client would otherwise GET the profile first to learn where to send the patch.
        StorageProfile target = new StorageProfile();
        target.setMetadata(new ObjectMetaBuilder().withName(decidedOn.getMetadata().getName()).build());
        return client.resource(target).patch(PatchContext.of(PatchType.JSON_MERGE), annotationPatch(decidedOn, patch));
    }

    /**
     * Sets (or, with null, removes) one BootSource annotation on a DataImportCron, guarded by the
     * resourceVersion it was decided on like {@link #patchAnnotations}.
     *
     * @throws KubernetesClientException with code 409 when the cron changed since it was read
     */
    DataImportCron patchCronAnnotation(DataImportCron decidedOn, String key, String value) {
        Map<String, String> patch = new java.util.HashMap<>();
        patch.put(key, value);
        return client.resources(DataImportCron.class)
                .inNamespace(decidedOn.getMetadata().getNamespace())
                .withName(decidedOn.getMetadata().getName())
                .patch(PatchContext.of(PatchType.JSON_MERGE), annotationPatch(decidedOn, patch));
    }

    /**
     * Deletes one golden snapshot only if it is still exactly the object decided on: the request carries
     * uid and resourceVersion preconditions (the client's own delete offers no uid precondition, so this
     * is a raw request).
     *
     * @return true when the API server accepted the deletion; false when the snapshot is already gone
     * @throws KubernetesClientException with code 409 when the snapshot changed or was replaced since it was read
     */
    boolean deleteExactly(VolumeSnapshot decidedOn) {
        ObjectNode body = JSON.createObjectNode().put("kind", "DeleteOptions").put("apiVersion", "v1");
        body.putObject("preconditions")
                .put("uid", decidedOn.getMetadata().getUid())
                .put("resourceVersion", decidedOn.getMetadata().getResourceVersion());
        String path = "apis/snapshot.storage.k8s.io/v1/namespaces/" + decidedOn.getMetadata().getNamespace()
                + "/volumesnapshots/" + decidedOn.getMetadata().getName();
        HttpClient http = client.getHttpClient();
        try {
            HttpRequest request = http.newHttpRequestBuilder()
                    .url(new URL(client.getMasterUrl(), path))
                    .method("DELETE", "application/json", body.toString())
                    .build();
            HttpResponse<String> response = http.sendAsync(request, String.class).get(DELETE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (response.code() == 404) {
                return false;
            }
            if (!response.isSuccessful()) {
                throw new KubernetesClientException("DELETE " + path + " answered HTTP " + response.code(), response.code(), null);
            }
            return true;
        } catch (MalformedURLException e) {
            throw new IllegalStateException("the API server URL and a resource path always form a URL", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KubernetesClientException("interrupted while deleting " + path, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new KubernetesClientException("DELETE " + path + " failed: " + e.getMessage(), e);
        }
    }

    private static String annotationPatch(HasMetadata decidedOn, Map<String, String> patch) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode metadata = body.putObject("metadata");
        metadata.put("resourceVersion", decidedOn.getMetadata().getResourceVersion());
        ObjectNode annotations = metadata.putObject("annotations");
        patch.forEach(annotations::put);
        return body.toString();
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
