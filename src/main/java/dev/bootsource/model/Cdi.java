package dev.bootsource.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

import java.util.Optional;

/**
 * {@code cdi.kubevirt.io/v1beta1 CDI}, cluster-scoped: the installation of CDI itself. BootSource reads
 * only the version CDI reports it runs, to know whether CDI manages boot-source storage itself.
 */
@Group("cdi.kubevirt.io")
@Version("v1beta1")
@Kind("CDI")
@Plural("cdis")
@Singular("cdi")
public class Cdi extends CustomResource<Opaque, Cdi.Status> {

    /** The version CDI reports it has rolled out, e.g. {@code v1.66.0}. */
    @JsonIgnore
    public Optional<String> observedVersion() {
        return Optional.ofNullable(getStatus()).map(Status::getObservedVersion).filter(v -> !v.isBlank());
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Status extends Preserved {
        private String observedVersion;

        public String getObservedVersion() {
            return observedVersion;
        }

        public void setObservedVersion(String observedVersion) {
            this.observedVersion = observedVersion;
        }
    }
}
