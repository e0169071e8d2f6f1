package dev.bootsource.policy.workaround;

import java.util.List;
import java.util.Optional;
import java.util.SortedSet;

/** What the admin should know before applying: Step 2 per driver, and each step skipped with why. */
public sealed interface WorkaroundNote {

    // ---- Step 2: the default VolumeSnapshotClass of each driver that gets a boot-source class ----

    /** A boot-source (images) class is a default: it must not be. */
    record ImagesClassIsDefault(String snapshotClass) implements WorkaroundNote {
    }

    /** Exactly one regular class is the driver's default: VM snapshots keep it, nothing to do. */
    record RegularClassIsDefault(String snapshotClass, String driver) implements WorkaroundNote {
    }

    /** Several regular classes are the driver's default: keep one. */
    record SeveralDefaults(List<String> snapshotClasses, String driver) implements WorkaroundNote {
        public SeveralDefaults {
            snapshotClasses = List.copyOf(snapshotClasses);
        }
    }

    /** No regular class is the driver's default: make one of them (usually the only one) the default. */
    record NoDefault(String driver, List<String> regular) implements WorkaroundNote {
        public NoDefault {
            regular = List.copyOf(regular);
        }
    }

    /** The driver has no regular class at all: one must be created and made the default. */
    record NoRegularClass(String driver) implements WorkaroundNote {
    }

    // ---- Step 3 ----

    /** No images VolumeSnapshotClass to create: those the StorageClasses call for exist (or none is called for). */
    record SnapshotClassesExist(SortedSet<String> used) implements WorkaroundNote {
    }

    // ---- StorageProfile annotations ----

    /** A StorageClass with pending annotations has no StorageProfile in the input. */
    record ProfileNotInInput(String storageClass) implements WorkaroundNote {
    }

    // ---- Steps 1, 4 and 5 ----

    /** No default (virt) StorageClass and no {@code --storage-class}: nothing to copy. */
    record NoClassToCopy() implements WorkaroundNote {
    }

    /** The class to copy is itself images-only. */
    record ClassIsImagesOnly(String storageClass) implements WorkaroundNote {
    }

    /**
     * Golden images of the class are not imported ReadWriteOnce, so no images-only copy is needed.
     *
     * @param readWriteOnce  the RWO annotation's value after the policy, if any
     * @param provisionerKey the class's provisioner key
     */
    record NotReadWriteOnce(String storageClass, Optional<String> readWriteOnce, String provisionerKey) implements WorkaroundNote {
    }

    /** Step 1 is done: an images-only copy of the class exists and is used. */
    record CopyExists(String copy, String original) implements WorkaroundNote {
    }

    /** The copy's name is taken by a class that is not a copy: nothing is replaced. */
    record CopyNameTaken(String copyName, String original) implements WorkaroundNote {
    }

    /** Step 4 is done: the images-only class's StorageProfile already names its snapshot class and carries its annotations. */
    record ImagesProfileDone(String imagesClass, Optional<String> snapshotClass) implements WorkaroundNote {
    }

    /**
     * No DataImportCron imports onto the copied class or its copy.
     *
     * @param others the crons of the input, on other classes
     */
    record NoCronOnClass(String original, String copy, List<WorkaroundDocument.CronElsewhere> others) implements WorkaroundNote {
        public NoCronOnClass {
            others = List.copyOf(others);
        }
    }

    /**
     * Step 5 is done: every DataImportCron of the copied class already imports onto the images-only class
     * (and ReadWriteOnce where the policy calls for it).
     *
     * @param crons {@code namespace/name} of each
     */
    record TemplatesDone(String imagesClass, List<String> crons) implements WorkaroundNote {
        public TemplatesDone {
            crons = List.copyOf(crons);
        }
    }
}
