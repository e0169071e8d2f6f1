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

/** {@code snapshot.storage.k8s.io/v1 VolumeSnapshot}: its source PVC, its class and whether it is ready. */
@Group("snapshot.storage.k8s.io")
@Version("v1")
@Kind("VolumeSnapshot")
@Plural("volumesnapshots")
@Singular("volumesnapshot")
public class VolumeSnapshot extends CustomResource<VolumeSnapshot.Spec, VolumeSnapshot.Status> implements Namespaced {

    @JsonIgnore
    public Optional<String> snapshotClassName() {
        return Optional.ofNullable(getSpec()).map(Spec::getVolumeSnapshotClassName).filter(name -> !name.isBlank());
    }

    @JsonIgnore
    public Optional<String> sourcePersistentVolumeClaimName() {
        return Optional.ofNullable(getSpec())
                .map(Spec::getSource)
                .map(Source::getPersistentVolumeClaimName)
                .filter(name -> !name.isBlank());
    }

    @JsonIgnore
    public boolean isReadyToUse() {
        return Optional.ofNullable(getStatus()).map(Status::getReadyToUse).orElse(false);
    }

    @JsonIgnore
    public boolean isBeingDeleted() {
        return getMetadata().getDeletionTimestamp() != null;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Spec extends Preserved {
        private Source source;
        private String volumeSnapshotClassName;

        public Source getSource() {
            return source;
        }

        public void setSource(Source source) {
            this.source = source;
        }

        public String getVolumeSnapshotClassName() {
            return volumeSnapshotClassName;
        }

        public void setVolumeSnapshotClassName(String volumeSnapshotClassName) {
            this.volumeSnapshotClassName = volumeSnapshotClassName;
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Source extends Preserved {
        private String persistentVolumeClaimName;
        private String volumeSnapshotContentName;

        public String getPersistentVolumeClaimName() {
            return persistentVolumeClaimName;
        }

        public void setPersistentVolumeClaimName(String persistentVolumeClaimName) {
            this.persistentVolumeClaimName = persistentVolumeClaimName;
        }

        public String getVolumeSnapshotContentName() {
            return volumeSnapshotContentName;
        }

        public void setVolumeSnapshotContentName(String volumeSnapshotContentName) {
            this.volumeSnapshotContentName = volumeSnapshotContentName;
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Status extends Preserved {
        private Boolean readyToUse;

        public Boolean getReadyToUse() {
            return readyToUse;
        }

        public void setReadyToUse(Boolean readyToUse) {
            this.readyToUse = readyToUse;
        }
    }
}
