package dev.bootsource.policy;

import dev.bootsource.capabilities.ProvisionerKey;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What BootSource decides for one StorageProfile (spec §3): the annotations it should carry after
 * reconcile, each change with its reason, and the warnings for the admin.
 *
 * @param storageClassName     the StorageClass (and so the profile) name
 * @param provisioner          the StorageClass provisioner
 * @param provisionerKey       the key the provisioner facts were looked up by
 * @param profileExists        false when CDI has not created the profile yet (decided as if empty)
 * @param annotationsBefore    the profile's annotations as found
 * @param annotationsAfter     the profile's full annotations after reconcile
 * @param changes              the policy annotations added, replaced or removed
 * @param warnings             what the admin should know
 * @param snapshotClassChoice  the boot-source snapshot class decision
 * @param effectiveReadWriteOnce golden images of this class are imported ReadWriteOnce
 * @param effectiveSnapshotClass the class golden snapshots of this class are taken with, if any
 */
public record ProfileDecision(
        String storageClassName,
        String provisioner,
        ProvisionerKey provisionerKey,
        boolean profileExists,
        Map<String, String> annotationsBefore,
        Map<String, String> annotationsAfter,
        List<AnnotationChange> changes,
        List<String> warnings,
        SnapshotClassChoice snapshotClassChoice,
        boolean effectiveReadWriteOnce,
        Optional<String> effectiveSnapshotClass) {

    public ProfileDecision {
        annotationsBefore = Map.copyOf(annotationsBefore);
        annotationsAfter = Map.copyOf(annotationsAfter);
        changes = List.copyOf(changes);
        warnings = List.copyOf(warnings);
    }

    /**
     * The annotations to write, as a JSON merge patch of {@code metadata.annotations}: each changed key
     * with its new value, {@code null} for a removed key. Empty when the profile is already right.
     */
    public Map<String, String> annotationPatch() {
        Map<String, String> patch = new LinkedHashMap<>();
        TreeSet<String> keys = new TreeSet<>(annotationsBefore.keySet());
        keys.addAll(annotationsAfter.keySet());
        for (String key : keys) {
            String before = annotationsBefore.get(key);
            String after = annotationsAfter.get(key);
            if (!Objects.equals(before, after)) {
                patch.put(key, after);
            }
        }
        return patch;
    }

    /** The same decision with more warnings for the admin. */
    public ProfileDecision withWarnings(List<String> more) {
        if (more.isEmpty()) {
            return this;
        }
        List<String> all = new java.util.ArrayList<>(warnings);
        all.addAll(more);
        return new ProfileDecision(storageClassName, provisioner, provisionerKey, profileExists, annotationsBefore,
                annotationsAfter, changes, all, snapshotClassChoice, effectiveReadWriteOnce, effectiveSnapshotClass);
    }

    public boolean needsWrite() {
        return !annotationPatch().isEmpty();
    }

    /**
     * The class this profile's reconcile creates: its own, or the one it shares with an earlier class of its
     * driver when that class has no StorageProfile to be reconciled yet.
     */
    public Optional<SnapshotClassToCreate> snapshotClassNeeded() {
        return snapshotClassChoice instanceof SnapshotClassChoice.Planned planned && planned.createdHere()
                ? Optional.of(planned.snapshotClass()) : snapshotClassToCreate();
    }

    /** The class BootSource creates for this profile's StorageClass (the first of its driver to need it). */
    public Optional<SnapshotClassToCreate> snapshotClassToCreate() {
        return snapshotClassChoice instanceof SnapshotClassChoice.ToCreate create
                ? Optional.of(create.snapshotClass()) : Optional.empty();
    }
}
