package dev.bootsource.capabilities;

import java.util.List;

/** An access-mode/volume-mode pair a provisioner supports, as CDI advertises it in a StorageProfile. */
public record ClaimPropertySet(List<String> accessModes, String volumeMode) {

    public ClaimPropertySet {
        accessModes = accessModes == null ? List.of() : List.copyOf(accessModes);
    }
}
