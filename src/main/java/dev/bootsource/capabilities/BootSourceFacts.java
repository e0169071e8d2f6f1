package dev.bootsource.capabilities;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a provisioner key needs for boot sources.
 *
 * @param readWriteOnce           import golden images ReadWriteOnce (the key is in the RWO set)
 * @param snapshotClassParameters parameters a VolumeSnapshotClass of the same driver must carry to be
 *                                a boot-source class, e.g. {@code snapshot-type: images}
 * @param imagesSnapshotUnsupportedWhen StorageClasses that get RWO but no boot-source snapshot class
 */
public record BootSourceFacts(
        boolean readWriteOnce,
        Map<String, String> snapshotClassParameters,
        List<ImagesSnapshotExclusion> imagesSnapshotUnsupportedWhen) {

    public static final BootSourceFacts NONE = new BootSourceFacts(false, Map.of(), List.of());

    public BootSourceFacts {
        snapshotClassParameters = snapshotClassParameters == null ? Map.of() : Map.copyOf(snapshotClassParameters);
        imagesSnapshotUnsupportedWhen = imagesSnapshotUnsupportedWhen == null
                ? List.of() : List.copyOf(imagesSnapshotUnsupportedWhen);
    }

    /** The reason a class with these parameters cannot have a boot-source snapshot class, if any. */
    public Optional<String> imagesSnapshotUnsupported(Map<String, String> storageClassParameters) {
        return imagesSnapshotUnsupportedWhen.stream()
                .filter(exclusion -> exclusion.matches(storageClassParameters))
                .map(ImagesSnapshotExclusion::reason)
                .findFirst();
    }
}
