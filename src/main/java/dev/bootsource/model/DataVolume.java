package dev.bootsource.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** {@code cdi.kubevirt.io/v1beta1 DataVolume}: the storage request BootSource may complete at admission. */
@Group("cdi.kubevirt.io")
@Version("v1beta1")
@Kind("DataVolume")
@Plural("datavolumes")
@Singular("datavolume")
public class DataVolume extends CustomResource<DataVolume.Spec, Opaque> implements Namespaced {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Spec extends Preserved {
        private StorageSpec storage;
        private StorageSpec pvc;

        public StorageSpec getStorage() {
            return storage;
        }

        public void setStorage(StorageSpec storage) {
            this.storage = storage;
        }

        public StorageSpec getPvc() {
            return pvc;
        }

        public void setPvc(StorageSpec pvc) {
            this.pvc = pvc;
        }
    }
}
