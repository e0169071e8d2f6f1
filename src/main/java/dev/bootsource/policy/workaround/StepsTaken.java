package dev.bootsource.policy.workaround;

import dev.bootsource.model.DataImportCron;
import dev.bootsource.model.DataVolume;
import dev.bootsource.model.Keys;
import dev.bootsource.model.Preserved;
import dev.bootsource.model.StorageProfile;
import dev.bootsource.model.StorageSpec;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Recognises the steps of the workaround a cluster has already taken, by hand or from an earlier run, so they
 * are skipped. Steps 1 and 3 are recognised where their classes are found; these are Steps 4 and 5.
 */
final class StepsTaken {

    private StepsTaken() {
    }

    /**
     * Step 4 is done when the images-only class exists with a StorageProfile that names the snapshot class the policy
     * gives the class ({@code spec.snapshotClass}), or any profile when there is none. Its annotations are the
     * profile's like any other, written with the other profiles' when pending.
     *
     * @param copyExisted   the images-only class was in the input (not written by this plan)
     * @param profile       its StorageProfile in the input
     * @param snapshotClass the boot-source snapshot class the policy gives it
     */
    static boolean imagesProfile(boolean copyExisted, Optional<StorageProfile> profile, Optional<String> snapshotClass) {
        if (!copyExisted || profile.isEmpty()) {
            return false;
        }
        Object named = Optional.ofNullable(profile.get().getSpec()).map(spec -> spec.getAdditionalProperties().get("snapshotClass"))
                .orElse(null);
        return snapshotClass.map(name -> name.equals(named)).orElse(true);
    }

    /**
     * Step 5 is done for a cron whose template names the images-only class and, when golden images are to be
     * ReadWriteOnce, asks for ReadWriteOnce only, or imports onto a class whose profile offers nothing else (as the
     * manual workaround's Step 4 leaves it).
     */
    static boolean cronOnImagesClass(DataImportCron cron, String imagesClass, boolean readWriteOnce, Optional<StorageProfile> profile) {
        if (!cron.templateStorageClassName().filter(imagesClass::equals).isPresent()) {
            return false;
        }
        if (!readWriteOnce) {
            return true;
        }
        List<String> accessModes = Optional.ofNullable(cron.getSpec())
                .map(DataImportCron.Spec::getTemplate)
                .map(DataImportCron.Template::getSpec)
                .map(StepsTaken::storage)
                .map(StorageSpec::getAccessModes)
                .orElse(List.of());
        return accessModes.equals(List.of(Keys.READ_WRITE_ONCE)) || offersReadWriteOnceOnly(profile);
    }

    private static StorageSpec storage(DataVolume.Spec spec) {
        return spec.getStorage() != null ? spec.getStorage() : spec.getPvc();
    }

    /** The profile's claimPropertySets (status, else spec) are there and all ReadWriteOnce. */
    private static boolean offersReadWriteOnceOnly(Optional<StorageProfile> profile) {
        if (profile.isEmpty()) {
            return false;
        }
        for (Preserved section : new Preserved[] {profile.get().getStatus(), profile.get().getSpec()}) {
            Object sets = section == null ? null : section.getAdditionalProperties().get("claimPropertySets");
            if (sets instanceof List<?> list && !list.isEmpty()) {
                return list.stream().allMatch(set -> set instanceof Map<?, ?> map && map.get("accessModes") instanceof List<?> modes
                        && !modes.isEmpty() && modes.stream().allMatch(mode -> Objects.equals(mode, Keys.READ_WRITE_ONCE)));
            }
        }
        return false;
    }
}
