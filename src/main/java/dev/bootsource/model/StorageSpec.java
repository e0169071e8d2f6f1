package dev.bootsource.model;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/** The {@code storage} (or {@code pvc}) section of a DataVolume: the fields BootSource reads. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StorageSpec extends Preserved {

    private String storageClassName;
    private List<String> accessModes;

    public String getStorageClassName() {
        return storageClassName;
    }

    public void setStorageClassName(String storageClassName) {
        this.storageClassName = storageClassName;
    }

    public List<String> getAccessModes() {
        return accessModes;
    }

    public void setAccessModes(List<String> accessModes) {
        this.accessModes = accessModes;
    }
}
