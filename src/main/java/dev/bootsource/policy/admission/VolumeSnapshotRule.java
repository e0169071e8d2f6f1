package dev.bootsource.policy.admission;

import dev.bootsource.cluster.ClusterView;
import dev.bootsource.model.Keys;
import dev.bootsource.model.VolumeSnapshot;
import dev.bootsource.policy.BootSourcePolicy;
import dev.bootsource.policy.CdiManagement;
import dev.bootsource.policy.ProfileDecision;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimSpec;

import java.util.List;
import java.util.Optional;

/**
 * A DataImportCron's golden snapshot is taken with its class's boot-source VolumeSnapshotClass
 * (spec §4), unless its source disk is ReadWriteMany (an images snapshot must come from a
 * ReadWriteOnce disk) or CDI manages boot sources itself (spec §3.1: CDI picks the class).
 */
final class VolumeSnapshotRule {

    static final String SNAPSHOT_CLASS = PatchOperation.pointer("spec", "volumeSnapshotClassName");

    private VolumeSnapshotRule() {
    }

    static AdmissionDecision decide(BootSourcePolicy policy, ClusterView cluster, String namespace, VolumeSnapshot snapshot) {
        Optional<String> sourceName = snapshot.sourcePersistentVolumeClaimName();
        String current = snapshot.snapshotClassName().orElse("");
        String kept = current.isEmpty() ? "the default snapshot class" : "class " + current;
        CdiManagement cdi = policy.cdiManagement(cluster);
        if (cdi.managesBootSources()) {
            // CDI deletes any golden snapshot that is not on its own class: changing the class would loop.
            return new AdmissionDecision.Unchanged("CDI manages boot sources (" + cdi.reason()
                    + "); the golden snapshot keeps " + kept + ", the class CDI chose");
        }
        if (sourceName.isEmpty()) {
            return new AdmissionDecision.Unresolved("the golden snapshot is not taken from a PersistentVolumeClaim "
                    + "(no spec.source.persistentVolumeClaimName); it keeps " + kept);
        }
        String claimName = namespace + "/" + sourceName.get();
        Optional<PersistentVolumeClaim> claim = cluster.persistentVolumeClaim(namespace, sourceName.get());
        if (claim.isEmpty()) {
            return new AdmissionDecision.Unresolved("source PersistentVolumeClaim " + claimName
                    + " is not known; the golden snapshot keeps " + kept);
        }
        Optional<PersistentVolumeClaimSpec> claimSpec = Optional.ofNullable(claim.get().getSpec());
        ProfileLookup lookup = ProfileLookup.of(policy, cluster, claimSpec.map(PersistentVolumeClaimSpec::getStorageClassName));
        if (lookup instanceof ProfileLookup.Unknown unknown) {
            return new AdmissionDecision.Unresolved("cannot tell the boot-source snapshot class of PersistentVolumeClaim "
                    + claimName + ": " + unknown.problem() + "; the golden snapshot keeps " + kept);
        }
        ProfileLookup.Found found = (ProfileLookup.Found) lookup;
        ProfileDecision decision = found.decision();
        Optional<String> wanted = decision.effectiveSnapshotClass();
        if (wanted.isEmpty()) {
            return new AdmissionDecision.Unchanged(found.storageClass() + " has no boot-source snapshot class ("
                    + (decision.effectiveReadWriteOnce() ? decision.snapshotClassChoice().reason()
                    : "golden images are not imported " + Keys.READ_WRITE_ONCE) + ")");
        }
        List<String> accessModes = claimSpec.map(PersistentVolumeClaimSpec::getAccessModes).orElse(List.of());
        if (accessModes.contains(Keys.READ_WRITE_MANY)) {
            return new AdmissionDecision.Unchanged("source PersistentVolumeClaim " + claimName + " is "
                    + Keys.READ_WRITE_MANY + ", and an images snapshot must come from a " + Keys.READ_WRITE_ONCE
                    + " disk; it keeps " + kept);
        }
        if (wanted.get().equals(current)) {
            return new AdmissionDecision.Unchanged("already uses the boot-source snapshot class " + current
                    + " of " + found.storageClass());
        }
        if (!isUsable(cluster, wanted.get())) {
            return new AdmissionDecision.Unresolved("boot-source VolumeSnapshotClass " + wanted.get() + " of "
                    + found.storageClass() + " does not exist (yet) or is being deleted; the golden snapshot keeps "
                    + kept + " rather than wait for it");
        }
        String reason = found.storageClass() + " takes golden snapshots with VolumeSnapshotClass " + wanted.get()
                + " (" + decision.snapshotClassChoice().reason() + ")";
        return new AdmissionDecision.Mutate(List.of(current.isEmpty()
                ? PatchOperation.add(SNAPSHOT_CLASS, wanted.get())
                : PatchOperation.replace(SNAPSHOT_CLASS, wanted.get())), reason);
    }

    private static boolean isUsable(ClusterView cluster, String snapshotClassName) {
        return cluster.volumeSnapshotClass(snapshotClassName).filter(vsc -> !vsc.isBeingDeleted()).isPresent();
    }
}
