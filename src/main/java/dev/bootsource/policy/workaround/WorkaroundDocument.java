package dev.bootsource.policy.workaround;

import dev.bootsource.model.HyperConverged;
import dev.bootsource.model.StorageProfile;
import dev.bootsource.model.VolumeSnapshotClass;
import dev.bootsource.policy.ProfileDecision;
import dev.bootsource.policy.SnapshotClassToCreate;
import io.fabric8.kubernetes.api.model.storage.StorageClass;

import java.util.List;
import java.util.Optional;

/** One object, or the part of one, an admin applies by hand; with what it is for, as data. */
public sealed interface WorkaroundDocument {

    /** The step of the workaround it belongs to. */
    WorkaroundStep step();

    /**
     * Step 3: an images VolumeSnapshotClass, exactly as the operator would create it, annotated as not the default.
     *
     * @param snapshotClass the class to apply
     * @param create        why the policy calls for it: driver, parameters, the StorageClass it is for
     * @param usedBy        the StorageClasses whose golden images are snapshotted with it
     */
    record ImagesSnapshotClass(VolumeSnapshotClass snapshotClass, SnapshotClassToCreate create, List<String> usedBy)
            implements WorkaroundDocument {
        public ImagesSnapshotClass {
            usedBy = List.copyOf(usedBy);
        }

        @Override
        public WorkaroundStep step() {
            return WorkaroundStep.SNAPSHOT_CLASS;
        }
    }

    /**
     * The boot-source annotations of an existing StorageProfile: the pending changes, each with its reason.
     *
     * @param profile the policy's decision for the profile; its changes are what is applied
     */
    record ProfileAnnotations(ProfileDecision profile) implements WorkaroundDocument {
        @Override
        public WorkaroundStep step() {
            return WorkaroundStep.PROFILE_ANNOTATIONS;
        }
    }

    /**
     * Step 1: an images-only copy of the StorageClass VM disks use.
     *
     * @param storageClass the copy
     * @param original     the class it copies
     */
    record ImagesStorageClass(StorageClass storageClass, String original) implements WorkaroundDocument {
        @Override
        public WorkaroundStep step() {
            return WorkaroundStep.IMAGES_STORAGE_CLASS;
        }
    }

    /**
     * Step 4: the images-only class's StorageProfile: the boot-source annotations the policy gives it and, when it
     * gets a boot-source snapshot class, {@code spec.snapshotClass} naming it.
     *
     * @param profile  the profile to apply
     * @param decision the policy's decision for the images-only class (its snapshot class choice and warnings)
     */
    record ImagesProfile(StorageProfile profile, ProfileDecision decision) implements WorkaroundDocument {
        @Override
        public WorkaroundStep step() {
            return WorkaroundStep.IMAGES_PROFILE;
        }

        public Optional<String> snapshotClass() {
            return decision.effectiveSnapshotClass();
        }
    }

    /**
     * Step 5: the HyperConverged DataImportCron templates, one per cron that imports onto the copied class,
     * pointed at the images-only class.
     *
     * @param hyperConverged the HyperConverged resource with only {@code spec.dataImportCronTemplates}
     * @param imagesClass    the images-only class the templates now name
     * @param readWriteOnce  the templates ask for ReadWriteOnce
     * @param namespaces     the namespaces of the crons listed (HyperConverged creates its templates in one)
     * @param others         the crons left out, which import onto other classes
     */
    record CronTemplates(HyperConverged hyperConverged, String imagesClass, boolean readWriteOnce, List<String> namespaces,
                         List<CronElsewhere> others) implements WorkaroundDocument {
        public CronTemplates {
            namespaces = List.copyOf(namespaces);
            others = List.copyOf(others);
        }

        @Override
        public WorkaroundStep step() {
            return WorkaroundStep.DATA_IMPORT_CRON_TEMPLATES;
        }
    }

    /**
     * A DataImportCron the templates leave out, and the class it imports onto.
     *
     * @param storageClass the class its golden images land on, if any
     */
    record CronElsewhere(String namespace, String name, Optional<String> storageClass) {
    }
}
