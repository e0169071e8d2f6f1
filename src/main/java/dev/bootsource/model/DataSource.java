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

import java.util.Optional;

/**
 * {@code cdi.kubevirt.io/v1beta1 DataSource}: the name VMs boot from, pointing at the current golden image
 * (a VolumeSnapshot, a PVC, or another DataSource). Only what {@code restore-test} follows is modelled.
 */
@Group("cdi.kubevirt.io")
@Version("v1beta1")
@Kind("DataSource")
@Plural("datasources")
@Singular("datasource")
public class DataSource extends CustomResource<DataSource.Spec, Opaque> implements Namespaced {

    /** The snapshot the DataSource points at, if it points at one. */
    @JsonIgnore
    public Optional<Reference> snapshot() {
        return source().map(Source::getSnapshot);
    }

    /** The PVC the DataSource points at, if it points at one. */
    @JsonIgnore
    public Optional<Reference> pvc() {
        return source().map(Source::getPvc);
    }

    /** The DataSource this one points at, if it points at another. */
    @JsonIgnore
    public Optional<Reference> dataSource() {
        return source().map(Source::getDataSource);
    }

    private Optional<Source> source() {
        return Optional.ofNullable(getSpec()).map(Spec::getSource);
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Spec extends Preserved {
        private Source source;

        public Source getSource() {
            return source;
        }

        public void setSource(Source source) {
            this.source = source;
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Source extends Preserved {
        private Reference snapshot;
        private Reference pvc;
        private Reference dataSource;

        public Reference getSnapshot() {
            return snapshot;
        }

        public void setSnapshot(Reference snapshot) {
            this.snapshot = snapshot;
        }

        public Reference getPvc() {
            return pvc;
        }

        public void setPvc(Reference pvc) {
            this.pvc = pvc;
        }

        public Reference getDataSource() {
            return dataSource;
        }

        public void setDataSource(Reference dataSource) {
            this.dataSource = dataSource;
        }
    }

    /** A namespaced reference; the namespace defaults to the DataSource's own. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Reference extends Preserved {
        private String namespace;
        private String name;

        public Reference() {
        }

        public Reference(String namespace, String name) {
            this.namespace = namespace;
            this.name = name;
        }

        public String getNamespace() {
            return namespace;
        }

        public void setNamespace(String namespace) {
            this.namespace = namespace;
        }

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }
    }
}
