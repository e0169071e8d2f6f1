package dev.bootsource.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

import java.util.List;

/**
 * {@code hco.kubevirt.io/v1beta1 HyperConverged}: only {@code spec.dataImportCronTemplates}, the golden-image
 * imports HyperConverged keeps as DataImportCrons (Step 5 of the manual GCP workaround points them at another class).
 */
@Group("hco.kubevirt.io")
@Version("v1beta1")
@Kind("HyperConverged")
@Plural("hyperconvergeds")
@Singular("hyperconverged")
public class HyperConverged extends CustomResource<HyperConverged.Spec, Opaque> implements Namespaced {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Spec extends Preserved {
        private List<DataImportCronTemplate> dataImportCronTemplates;

        public List<DataImportCronTemplate> getDataImportCronTemplates() {
            return dataImportCronTemplates;
        }

        public void setDataImportCronTemplates(List<DataImportCronTemplate> dataImportCronTemplates) {
            this.dataImportCronTemplates = dataImportCronTemplates;
        }
    }

    /** One entry of {@code spec.dataImportCronTemplates}: a DataImportCron's metadata and spec. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"metadata", "spec"})
    public static class DataImportCronTemplate {
        private ObjectMeta metadata;
        private DataImportCron.Spec spec;

        public DataImportCronTemplate() {
        }

        public DataImportCronTemplate(ObjectMeta metadata, DataImportCron.Spec spec) {
            this.metadata = metadata;
            this.spec = spec;
        }

        public ObjectMeta getMetadata() {
            return metadata;
        }

        public void setMetadata(ObjectMeta metadata) {
            this.metadata = metadata;
        }

        public DataImportCron.Spec getSpec() {
            return spec;
        }

        public void setSpec(DataImportCron.Spec spec) {
            this.spec = spec;
        }
    }
}
