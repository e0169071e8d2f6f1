package dev.bootsource.input;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * How BootSource's Kubernetes clients read objects: without {@code metadata.managedFields}.
 *
 * <p>BootSource never uses them, and in an informer cache they are a large part of every small object
 * (a StorageClass or StorageProfile carries one entry per writer, each a tree of field names). Writes
 * are unaffected: BootSource patches only the keys it owns, creates objects of its own, and an update
 * that leaves {@code managedFields} out keeps the server's (it resets them only when told to).
 */
public final class LeanSerialization {

    private LeanSerialization() {
    }

    @JsonIgnoreProperties({"managedFields"})
    private abstract static class WithoutManagedFields {
    }

    /** A client for {@code config} that reads this way. */
    public static KubernetesClient client(Config config) {
        return new KubernetesClientBuilder().withConfig(config).withKubernetesSerialization(create()).build();
    }

    public static KubernetesSerialization create() {
        return new KubernetesSerialization(new ObjectMapper().addMixIn(ObjectMeta.class, WithoutManagedFields.class), true);
    }
}
