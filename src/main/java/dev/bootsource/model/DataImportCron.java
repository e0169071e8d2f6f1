package dev.bootsource.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

import java.util.List;
import java.util.Optional;

/** {@code cdi.kubevirt.io/v1beta1 DataImportCron}: its template's storage class and its UpToDate condition. */
@Group("cdi.kubevirt.io")
@Version("v1beta1")
@Kind("DataImportCron")
@Plural("dataimportcrons")
@Singular("dataimportcron")
public class DataImportCron extends CustomResource<DataImportCron.Spec, DataImportCron.Status> implements Namespaced {

    /** The storage class the template names, if it names one (storage first, then pvc). */
    @JsonIgnore
    public Optional<String> templateStorageClassName() {
        return Optional.ofNullable(getSpec())
                .map(Spec::getTemplate)
                .map(Template::getSpec)
                .flatMap(spec -> Optional.ofNullable(spec.getStorage()).or(() -> Optional.ofNullable(spec.getPvc())))
                .map(StorageSpec::getStorageClassName)
                .filter(name -> !name.isBlank());
    }

    /** True when CDI reports the cron's condition {@code UpToDate} as {@code True}. */
    @JsonIgnore
    public boolean isUpToDate() {
        return hasCondition("UpToDate");
    }

    /** True when CDI reports the cron's condition {@code Progressing} as {@code True}: an import is running. */
    @JsonIgnore
    public boolean isProgressing() {
        return hasCondition("Progressing");
    }

    /** The template's storage section: {@code spec.storage}, else {@code spec.pvc}, else none. */
    @JsonIgnore
    public Optional<DataVolume.Spec> templateSpec() {
        return Optional.ofNullable(getSpec()).map(Spec::getTemplate).map(Template::getSpec);
    }

    /** The text of BootSource's recreation record on this cron, if it carries one. */
    @JsonIgnore
    public Optional<String> recreationRecordText() {
        return Optional.ofNullable(getMetadata().getAnnotations()).map(a -> a.get(Keys.RECREATION_RECORD));
    }

    private boolean hasCondition(String type) {
        return Optional.ofNullable(getStatus())
                .map(Status::getConditions)
                .orElse(List.of())
                .stream()
                .anyMatch(c -> type.equals(c.getType()) && "True".equalsIgnoreCase(c.getStatus()));
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Spec extends Preserved {
        private Template template;

        public Template getTemplate() {
            return template;
        }

        public void setTemplate(Template template) {
            this.template = template;
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Template extends Preserved {
        private DataVolume.Spec spec;

        public DataVolume.Spec getSpec() {
            return spec;
        }

        public void setSpec(DataVolume.Spec spec) {
            this.spec = spec;
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Status extends Preserved {
        private List<Condition> conditions;

        public List<Condition> getConditions() {
            return conditions;
        }

        public void setConditions(List<Condition> conditions) {
            this.conditions = conditions;
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Condition extends Preserved {
        private String type;
        private String status;
        private String reason;
        private String message;

        public String getType() {
            return type;
        }

        public void setType(String type) {
            this.type = type;
        }

        public String getStatus() {
            return status;
        }

        public void setStatus(String status) {
            this.status = status;
        }

        public String getReason() {
            return reason;
        }

        public void setReason(String reason) {
            this.reason = reason;
        }

        public String getMessage() {
            return message;
        }

        public void setMessage(String message) {
            this.message = message;
        }
    }
}
