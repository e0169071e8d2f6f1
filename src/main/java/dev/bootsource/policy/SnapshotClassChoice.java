package dev.bootsource.policy;

import java.util.Optional;

/** Which boot-source VolumeSnapshotClass a StorageProfile gets, and why (spec §3, rule 3). */
public sealed interface SnapshotClassChoice {

    /** The class name the profile should point at, if any. */
    Optional<String> className();

    String reason();

    /**
     * A user set the annotation; it stays, whatever it names. It is {@code effective} (golden snapshots are
     * taken with it) only when the class exists, belongs to the StorageClass's driver and is not being deleted.
     */
    record UserSet(String name, boolean effective, String reason) implements SnapshotClassChoice {
        public Optional<String> className() {
            return Optional.of(name);
        }
    }

    /** Upstream CDI's own annotation names a class; BootSource agrees with it. */
    record Upstream(String name, String reason) implements SnapshotClassChoice {
        public Optional<String> className() {
            return Optional.of(name);
        }
    }

    /** The class BootSource chose before still exists and still matches: kept for stability. */
    record Kept(String name, String reason) implements SnapshotClassChoice {
        public Optional<String> className() {
            return Optional.of(name);
        }
    }

    /** A matching class found in the cluster. */
    record Discovered(String name, String reason) implements SnapshotClassChoice {
        public Optional<String> className() {
            return Optional.of(name);
        }
    }

    /**
     * No class matches, and BootSource creates one for an earlier StorageClass of the same driver (by
     * name): this class shares it. {@code createdHere} when that earlier class has no StorageProfile yet,
     * so no reconcile of its own would create the class: this profile's reconcile does.
     */
    record Planned(SnapshotClassToCreate snapshotClass, boolean createdHere, String reason) implements SnapshotClassChoice {
        public Optional<String> className() {
            return Optional.of(snapshotClass.name());
        }
    }

    /** No class matches: BootSource creates one. */
    record ToCreate(SnapshotClassToCreate snapshotClass, String reason) implements SnapshotClassChoice {
        public Optional<String> className() {
            return Optional.of(snapshotClass.name());
        }
    }

    /** No boot-source class for this profile. */
    record None(String reason) implements SnapshotClassChoice {
        public Optional<String> className() {
            return Optional.empty();
        }
    }
}
