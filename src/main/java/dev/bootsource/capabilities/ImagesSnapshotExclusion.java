package dev.bootsource.capabilities;

import java.util.List;
import java.util.Map;

/**
 * StorageClasses whose parameters meet every condition cannot take boot-source snapshots
 * (for example regional GCP disks, which the PD CSI driver refuses to snapshot as images).
 */
public record ImagesSnapshotExclusion(String reason, List<ParameterCondition> when) {

    public ImagesSnapshotExclusion {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("an images-snapshot exclusion needs 'reason'");
        }
        when = when == null ? List.of() : List.copyOf(when);
    }

    public boolean matches(Map<String, String> parameters) {
        return !when.isEmpty() && when.stream().allMatch(condition -> condition.test(parameters));
    }
}
