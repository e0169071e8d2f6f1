package dev.bootsource.input;

import dev.bootsource.model.StorageProfile;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LeanSerializationTest {

    private static final String STORAGE_CLASS = """
            {"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass",
             "metadata": {"name": "hyperdisk", "uid": "u-1", "resourceVersion": "7",
                          "annotations": {"storageclass.kubernetes.io/is-default-class": "true"},
                          "managedFields": [{"manager": "kubectl", "operation": "Update", "apiVersion": "storage.k8s.io/v1",
                                             "fieldsType": "FieldsV1",
                                             "fieldsV1": {"f:parameters": {".": {}, "f:type": {}}, "f:provisioner": {}}}]},
             "provisioner": "pd.csi.storage.gke.io", "parameters": {"type": "hyperdisk-balanced"}}
            """;

    private final KubernetesSerialization lean = LeanSerialization.create();

    @Test
    void readsObjectsWithoutManagedFieldsAndEverythingElseIntact() {
        StorageClass read = lean.unmarshal(STORAGE_CLASS, StorageClass.class);

        assertThat(read.getMetadata().getManagedFields()).isEmpty();
        assertThat(read.getMetadata().getName()).isEqualTo("hyperdisk");
        assertThat(read.getMetadata().getResourceVersion()).isEqualTo("7");
        assertThat(read.getMetadata().getAnnotations()).containsEntry("storageclass.kubernetes.io/is-default-class", "true");
        assertThat(read.getProvisioner()).isEqualTo("pd.csi.storage.gke.io");
        assertThat(read.getParameters()).containsEntry("type", "hyperdisk-balanced");
        assertThat(read.getMetadata().getAdditionalProperties()).doesNotContainKey("managedFields");
    }

    @Test
    void writesNoManagedFieldsSoAnUpdateKeepsTheServersOwn() {
        StorageClass read = lean.unmarshal(STORAGE_CLASS, StorageClass.class);

        assertThat(lean.asJson(read)).doesNotContain("managedFields").contains("\"uid\":\"u-1\"");
    }

    @Test
    void appliesToBootSourcesOwnModelsToo() {
        StorageProfile read = lean.unmarshal("""
                {"apiVersion": "cdi.kubevirt.io/v1beta1", "kind": "StorageProfile",
                 "metadata": {"name": "hyperdisk", "managedFields": [{"manager": "cdi-controller", "operation": "Update"}]},
                 "status": {"provisioner": "pd.csi.storage.gke.io"}}
                """, StorageProfile.class);

        assertThat(read.getMetadata().getManagedFields()).isEmpty();
        assertThat(read.getMetadata().getName()).isEqualTo("hyperdisk");
    }
}
