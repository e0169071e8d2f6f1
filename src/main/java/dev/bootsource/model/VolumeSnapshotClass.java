package dev.bootsource.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code snapshot.storage.k8s.io/v1 VolumeSnapshotClass}: only the fields BootSource reads or creates. */
@Group("snapshot.storage.k8s.io")
@Version("v1")
@Kind("VolumeSnapshotClass")
@Plural("volumesnapshotclasses")
@Singular("volumesnapshotclass")
// HasMetadata's default deserializer picks a class by kind; this model is always bound directly.
@JsonDeserialize(using = JsonDeserializer.None.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"apiVersion", "kind", "metadata", "driver", "deletionPolicy", "parameters"})
public class VolumeSnapshotClass implements HasMetadata {

    private String apiVersion = "snapshot.storage.k8s.io/v1";
    private String kind = "VolumeSnapshotClass";
    private ObjectMeta metadata = new ObjectMeta();
    private String driver;
    private String deletionPolicy;
    private Map<String, String> parameters;
    private final Map<String, Object> additionalProperties = new LinkedHashMap<>();

    @Override
    public ObjectMeta getMetadata() {
        return metadata;
    }

    @Override
    public void setMetadata(ObjectMeta metadata) {
        this.metadata = metadata;
    }

    @Override
    public String getApiVersion() {
        return apiVersion;
    }

    @Override
    public void setApiVersion(String apiVersion) {
        this.apiVersion = apiVersion;
    }

    @Override
    public String getKind() {
        return kind;
    }

    public void setKind(String kind) {
        this.kind = kind;
    }

    public String getDriver() {
        return driver;
    }

    public void setDriver(String driver) {
        this.driver = driver;
    }

    public String getDeletionPolicy() {
        return deletionPolicy;
    }

    public void setDeletionPolicy(String deletionPolicy) {
        this.deletionPolicy = deletionPolicy;
    }

    public Map<String, String> getParameters() {
        return parameters;
    }

    public void setParameters(Map<String, String> parameters) {
        this.parameters = parameters;
    }

    /** Marked the default class of its driver ({@code snapshot.storage.kubernetes.io/is-default-class: "true"}). */
    @JsonIgnore
    public boolean isDefault() {
        Map<String, String> annotations = metadata == null ? null : metadata.getAnnotations();
        return annotations != null && "true".equals(annotations.get(Keys.DEFAULT_SNAPSHOT_CLASS));
    }

    /** Being deleted: it has a deletionTimestamp. */
    @JsonIgnore
    public boolean isBeingDeleted() {
        return metadata != null && metadata.getDeletionTimestamp() != null;
    }

    @JsonIgnore
    public Map<String, String> parametersOrEmpty() {
        return parameters == null ? Map.of() : parameters;
    }

    @JsonAnyGetter
    public Map<String, Object> getAdditionalProperties() {
        return additionalProperties;
    }

    @JsonAnySetter
    public void setAdditionalProperty(String name, Object value) {
        additionalProperties.put(name, value);
    }
}
