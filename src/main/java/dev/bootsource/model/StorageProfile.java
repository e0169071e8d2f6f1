package dev.bootsource.model;

import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * {@code cdi.kubevirt.io/v1beta1 StorageProfile}, cluster-scoped, named after its StorageClass.
 * BootSource reads and patches only its annotations; spec and status are carried, never interpreted.
 */
@Group("cdi.kubevirt.io")
@Version("v1beta1")
@Kind("StorageProfile")
@Plural("storageprofiles")
@Singular("storageprofile")
public class StorageProfile extends CustomResource<Opaque, Opaque> {
}
