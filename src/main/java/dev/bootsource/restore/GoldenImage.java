package dev.bootsource.restore;

import java.util.List;
import java.util.Optional;

/**
 * The golden image restores are made from, as resolved in the cluster.
 *
 * @param kind          a VolumeSnapshot (the usual golden image) or a PVC (CDI's {@code pvc} source format)
 * @param namespace     its namespace
 * @param name          its name
 * @param restoreSize   the size a restore needs, when the cluster says (snapshot restoreSize, PVC request)
 * @param snapshotClass the snapshot's class, for a VolumeSnapshot that names one
 * @param ready         the snapshot is readyToUse, or the PVC is Bound
 * @param via           how it was found, e.g. {@code [DataSource kubevirt-os-images/fedora]}
 */
public record GoldenImage(
        Kind kind,
        String namespace,
        String name,
        Optional<String> restoreSize,
        Optional<String> snapshotClass,
        boolean ready,
        List<String> via) {

    public GoldenImage {
        via = List.copyOf(via);
    }

    public enum Kind {
        VOLUME_SNAPSHOT("snapshot.storage.k8s.io", "VolumeSnapshot"),
        PERSISTENT_VOLUME_CLAIM(null, "PersistentVolumeClaim");

        private final String apiGroup;
        private final String kind;

        Kind(String apiGroup, String kind) {
            this.apiGroup = apiGroup;
            this.kind = kind;
        }

        /** The API group for a {@code dataSourceRef} (none for the core group). */
        public String apiGroup() {
            return apiGroup;
        }

        public String kind() {
            return kind;
        }
    }

    /** {@code VolumeSnapshot ns/name}. */
    public String describe() {
        return kind.kind() + " " + namespace + "/" + name;
    }
}
