package dev.bootsource.policy.admission;

import dev.bootsource.cluster.ClusterView;
import dev.bootsource.model.DataVolume;
import dev.bootsource.model.Keys;
import dev.bootsource.model.StorageSpec;
import dev.bootsource.policy.BootSourcePolicy;

import java.util.List;
import java.util.Optional;

/**
 * A DataImportCron's DataVolume is imported ReadWriteOnce when its class calls for it (spec §4):
 * {@code spec.storage} without access modes gets {@code [ReadWriteOnce]}; explicit modes and
 * {@code spec.pvc} are the requester's choice and stay.
 */
final class DataVolumeRule {

    static final String ACCESS_MODES = PatchOperation.pointer("spec", "storage", "accessModes");

    private DataVolumeRule() {
    }

    static AdmissionDecision decide(BootSourcePolicy policy, ClusterView cluster, DataVolume dataVolume) {
        DataVolume.Spec spec = dataVolume.getSpec();
        StorageSpec storage = spec == null ? null : spec.getStorage();
        if (storage == null) {
            return new AdmissionDecision.Unchanged(spec != null && spec.getPvc() != null
                    ? "uses spec.pvc, whose access modes are always explicit"
                    : "has no spec.storage");
        }
        List<String> accessModes = storage.getAccessModes();
        if (accessModes != null && !accessModes.isEmpty()) {
            return new AdmissionDecision.Unchanged("spec.storage.accessModes " + accessModes + " is set explicitly");
        }
        ProfileLookup lookup = ProfileLookup.of(policy, cluster, Optional.ofNullable(storage.getStorageClassName()));
        if (lookup instanceof ProfileLookup.Unknown unknown) {
            return new AdmissionDecision.Unresolved("cannot tell whether this golden image should be imported "
                    + Keys.READ_WRITE_ONCE + ": " + unknown.problem() + "; its access modes are left to CDI");
        }
        ProfileLookup.Found found = (ProfileLookup.Found) lookup;
        if (!found.decision().effectiveReadWriteOnce()) {
            return new AdmissionDecision.Unchanged(found.storageClass() + " does not import golden images "
                    + Keys.READ_WRITE_ONCE + " (effective " + Keys.USE_RWO_FOR_BOOT_SOURCES + " is not true)");
        }
        return new AdmissionDecision.Mutate(
                List.of(PatchOperation.add(ACCESS_MODES, List.of(Keys.READ_WRITE_ONCE))),
                found.storageClass() + " imports golden images " + Keys.READ_WRITE_ONCE
                        + " (effective " + Keys.USE_RWO_FOR_BOOT_SOURCES + " is true)");
    }
}
