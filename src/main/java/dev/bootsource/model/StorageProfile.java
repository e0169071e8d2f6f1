package dev.bootsource.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

import java.util.Optional;

/**
 * {@code cdi.kubevirt.io/v1beta1 StorageProfile}, cluster-scoped, named after its StorageClass.
 * BootSource patches only its annotations; spec and status are carried, and only the snapshot class CDI
 * reports in the status is read (CDI falls back to it for golden snapshots).
 */
@Group("cdi.kubevirt.io")
@Version("v1beta1")
@Kind("StorageProfile")
@Plural("storageprofiles")
@Singular("storageprofile")
public class StorageProfile extends CustomResource<Opaque, Opaque> {

    /** {@code status.snapshotClass}: the snapshot class CDI settled on for this StorageClass, if any. */
    @JsonIgnore
    public Optional<String> statusSnapshotClass() {
        return Optional.ofNullable(getStatus())
                .map(status -> status.getAdditionalProperties().get("snapshotClass"))
                .filter(String.class::isInstance)
                .map(String.class::cast)
                .filter(name -> !name.isBlank());
    }

    /** True when the profile carries the annotation {@code key}, with any value. */
    public boolean hasAnnotation(String key) {
        return getMetadata().getAnnotations() != null && getMetadata().getAnnotations().containsKey(key);
    }
}
