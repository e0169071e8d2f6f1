package dev.bootsource.policy.verify;

import dev.bootsource.cluster.ClusterView;
import dev.bootsource.model.DataImportCron;
import dev.bootsource.model.Keys;
import dev.bootsource.model.VolumeSnapshot;
import dev.bootsource.model.VolumeSnapshotClass;
import dev.bootsource.policy.AnnotationChange;
import dev.bootsource.policy.BootSourceClasses;
import dev.bootsource.policy.BootSourcePolicy;
import dev.bootsource.policy.CdiManagement;
import dev.bootsource.policy.DefaultStorageClass;
import dev.bootsource.policy.ProfileDecision;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.storage.StorageClass;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Step 7 of the manual GCP workaround as checks over a cluster state: golden snapshots use the boot-source class, golden
 * volumes are ReadWriteOnce where the policy says so, every StorageProfile carries the annotations the
 * policy calls for, and VM disks and VM snapshots keep their defaults (the manual GCP workaround's "Additional Notes").
 * A pure function of the state: the same checks whether the state came from files or a live cluster.
 */
public final class SetupVerifier {

    private static final Comparator<HasMetadata> BY_NAMESPACED_NAME = Comparator
            .comparing((HasMetadata o) -> Objects.toString(o.getMetadata().getNamespace(), ""))
            .thenComparing(o -> o.getMetadata().getName());

    private final BootSourcePolicy policy;
    private final BootSourceClasses classes;

    public SetupVerifier(BootSourcePolicy policy) {
        this.policy = policy;
        this.classes = new BootSourceClasses(policy);
    }

    /** Checks the state: classes, profiles, crons, golden PVCs (only CRON-labelled ones are looked at) and snapshots. */
    public VerifyReport verify(ClusterView cluster) {
        Decisions decisions = new Decisions(cluster);
        List<CronStorage> cronStorage = new ArrayList<>();
        List<Check> checks = new ArrayList<>();
        List<DataImportCron> sortedCrons = cluster.dataImportCrons().stream().sorted(BY_NAMESPACED_NAME).toList();
        List<PersistentVolumeClaim> goldenClaims = cluster.persistentVolumeClaims().stream()
                .filter(claim -> cronOf(claim).isPresent())
                .sorted(BY_NAMESPACED_NAME)
                .toList();
        List<VolumeSnapshot> goldenSnapshots = cluster.dataImportCronSnapshots().stream().sorted(BY_NAMESPACED_NAME).toList();

        if (cluster.storageClasses().isEmpty()) {
            checks.add(Check.fail(CheckArea.INPUT, "StorageClasses", "read", "none were read, so nothing can be "
                    + "verified: read a cluster, or include `kubectl get storageclasses,volumesnapshotclasses,storageprofiles -o yaml`"));
        }
        if (sortedCrons.isEmpty()) {
            checks.add(Check.fail(CheckArea.INPUT, "DataImportCrons", "read", "none were read, so the golden-image checks "
                    + "have nothing to check: read a cluster with CDI, or include `kubectl get dataimportcrons,volumesnapshots,pvc -A -o yaml`"));
        }

        List<Check> volumeChecks = new ArrayList<>();
        for (DataImportCron cron : sortedCrons) {
            CronStorage storage = storageOf(cluster, cron, decisions);
            cronStorage.add(storage);
            List<VolumeSnapshot> snapshots = goldenSnapshots.stream().filter(s -> belongsTo(s, cron)).toList();
            List<PersistentVolumeClaim> volumes = goldenClaims.stream().filter(c -> belongsTo(c, cron)).toList();
            String subject = "DataImportCron " + key(cron);
            if (storage.storageClass().isEmpty()) {
                checks.add(Check.fail(CheckArea.DATA_IMPORT_CRONS, subject, "storage class", missingStorageClassReason(cron)));
            } else {
                checks.add(Check.pass(CheckArea.DATA_IMPORT_CRONS, subject, "storage class", describe(storage)));
            }
            if (storage.storageClass().isPresent() && snapshots.isEmpty() && volumes.isEmpty()) {
                checks.add(Check.warn(CheckArea.DATA_IMPORT_CRONS, subject, "golden image",
                        "no golden VolumeSnapshot or PVC of this cron in the input: still importing, or the dump lacks "
                                + "`kubectl get volumesnapshots,pvc -A -o yaml`"));
            }
            snapshots.forEach(snapshot -> checks.add(snapshotCheck(cluster, snapshot, storage, decisions)));
            volumes.forEach(claim -> volumeChecks.add(volumeCheck(claim, storage)));
        }
        goldenSnapshots.stream().filter(s -> sortedCrons.stream().noneMatch(c -> belongsTo(s, c)))
                .forEach(s -> checks.add(Check.warn(CheckArea.GOLDEN_SNAPSHOTS, "VolumeSnapshot " + key(s), "snapshot class",
                        "DataImportCron " + s.getMetadata().getNamespace() + "/" + cronOf(s).orElse("")
                                + " is not in the input, so the class it calls for is unknown")));
        goldenClaims.stream().filter(c -> sortedCrons.stream().noneMatch(cron -> belongsTo(c, cron)))
                .forEach(c -> volumeChecks.add(Check.warn(CheckArea.GOLDEN_VOLUMES, "PersistentVolumeClaim " + key(c),
                        "access modes", "DataImportCron " + c.getMetadata().getNamespace() + "/" + cronOf(c).orElse("")
                                + " is not in the input, so the access mode it calls for is unknown")));
        checks.addAll(volumeChecks);

        Set<String> goldenClasses = cronStorage.stream().map(CronStorage::storageClass).flatMap(Optional::stream)
                .collect(Collectors.toCollection(TreeSet::new));
        cluster.storageClasses().stream()
                .sorted(Comparator.comparing(sc -> sc.getMetadata().getName()))
                .forEach(sc -> checks.add(profileCheck(decisions.of(sc), decisions.setupOf(sc),
                        goldenClasses.contains(sc.getMetadata().getName()))));

        checks.addAll(VmDisks.checks(cluster, goldenClasses));
        checks.addAll(defaultChecks(cluster, decisions));
        return new VerifyReport(cronStorage, checks);
    }

    private CronStorage storageOf(ClusterView cluster, DataImportCron cron, Decisions decisions) {
        Optional<String> named = cron.templateStorageClassName();
        Optional<StorageClass> storageClass = DefaultStorageClass.resolve(cluster, named);
        if (storageClass.isEmpty()) {
            return new CronStorage(cron.getMetadata().getNamespace(), cron.getMetadata().getName(),
                    Optional.empty(), named.isPresent() ? StorageClassSource.TEMPLATE : StorageClassSource.NONE,
                    false, Optional.empty());
        }
        StorageClassSource source = named.isPresent() ? StorageClassSource.TEMPLATE
                : DefaultStorageClass.isVirtDefault(storageClass.get())
                ? StorageClassSource.DEFAULT_VIRT_CLASS : StorageClassSource.DEFAULT_CLASS;
        GoldenSetup setup = decisions.setupOf(storageClass.get());
        return new CronStorage(cron.getMetadata().getNamespace(), cron.getMetadata().getName(),
                Optional.of(storageClass.get().getMetadata().getName()), source,
                setup.readWriteOnce(), setup.snapshotClass());
    }

    private static String describe(CronStorage storage) {
        return "imports onto StorageClass " + storage.storageClass().orElse("?") + " (" + storage.source().label()
                + "): golden images " + (storage.readWriteOnce() ? "ReadWriteOnce" : "with the profile's access modes")
                + ", snapshots with " + storage.snapshotClass().orElse("the default class");
    }

    private static String missingStorageClassReason(DataImportCron cron) {
        return cron.templateStorageClassName()
                .map(name -> "the template names StorageClass " + name + ", which does not exist")
                .orElse("the template names no storage class and the cluster has no default (virt) class");
    }

    private Check snapshotCheck(ClusterView cluster, VolumeSnapshot snapshot, CronStorage storage, Decisions decisions) {
        String subject = "VolumeSnapshot " + key(snapshot);
        String check = "snapshot class";
        if (storage.storageClass().isEmpty()) {
            return Check.warn(CheckArea.GOLDEN_SNAPSHOTS, subject, check,
                    "the storage class of DataImportCron " + storage.name() + " is unknown, so the class it calls for is unknown");
        }
        String storageClass = storage.storageClass().get();
        String current = snapshot.snapshotClassName().orElse(null);
        if (snapshot.isBeingDeleted()) {
            return Check.warn(CheckArea.GOLDEN_SNAPSHOTS, subject, check,
                    "being deleted; CDI re-imports the golden image of DataImportCron " + storage.name());
        }
        if (!storage.readWriteOnce()) {
            return Check.pass(CheckArea.GOLDEN_SNAPSHOTS, subject, check, "golden images of StorageClass " + storageClass
                    + " are not imported ReadWriteOnce, so no boot-source class applies; taken with "
                    + (current == null ? "the default class" : current));
        }
        if (storage.snapshotClass().isEmpty()) {
            return Check.warn(CheckArea.GOLDEN_SNAPSHOTS, subject, check, "StorageClass " + storageClass
                    + " has no boot-source snapshot class: " + decisions.of(storageClass).snapshotClassChoice().reason());
        }
        String desired = storage.snapshotClass().get();
        StorageClass sc = cluster.storageClass(storageClass).orElseThrow();
        GoldenSetup setup = decisions.setupOf(sc);
        if (desired.equals(current)) {
            Optional<String> notImages = notAnImagesClass(cluster, sc, desired);
            if (notImages.isPresent()) {
                return Check.fail(CheckArea.GOLDEN_SNAPSHOTS, subject, check, "taken with " + desired + ", which "
                        + setup.reason().replaceFirst(":.*", "") + " calls for, but " + notImages.get()
                        + ": its restores keep the 6-an-hour limit; name an images class of driver " + sc.getProvisioner()
                        + " for StorageClass " + storageClass);
            }
            return Check.pass(CheckArea.GOLDEN_SNAPSHOTS, subject, check, "taken with " + desired
                    + ", an images class of driver " + sc.getProvisioner() + ", as " + setup.reason() + " calls for");
        }
        return Check.fail(CheckArea.GOLDEN_SNAPSHOTS, subject, check, "taken with "
                + (current == null ? "the default class" : current) + ", but StorageClass " + storageClass
                + " calls for " + desired + "; delete it so CDI re-imports it (step 6 of the manual GCP workaround; `bootsource plan` "
                + "shows whether the operator would)");
    }

    private static Check volumeCheck(PersistentVolumeClaim claim, CronStorage storage) {
        String subject = "PersistentVolumeClaim " + key(claim);
        String check = "access modes";
        List<String> modes = Optional.ofNullable(claim.getSpec()).map(spec -> spec.getAccessModes()).orElse(List.of());
        String claimClass = Optional.ofNullable(claim.getSpec()).map(spec -> spec.getStorageClassName()).orElse(null);
        if (storage.storageClass().isEmpty()) {
            return Check.warn(CheckArea.GOLDEN_VOLUMES, subject, check,
                    "the storage class of DataImportCron " + storage.name() + " is unknown, so the access mode it calls for is unknown");
        }
        String storageClass = storage.storageClass().get();
        if (claim.getMetadata().getDeletionTimestamp() != null) {
            return Check.warn(CheckArea.GOLDEN_VOLUMES, subject, check, "being deleted");
        }
        String where = claimClass == null || claimClass.equals(storageClass) ? ""
                : " (it is on StorageClass " + claimClass + "; DataImportCron " + storage.name()
                + " now imports onto " + storageClass + ")";
        if (!storage.readWriteOnce()) {
            return Check.pass(CheckArea.GOLDEN_VOLUMES, subject, check, "golden images of StorageClass " + storageClass
                    + " keep the profile's access modes; " + describe(modes) + where);
        }
        if (modes.isEmpty()) {
            return Check.warn(CheckArea.GOLDEN_VOLUMES, subject, check, "no access modes in the input; StorageClass "
                    + storageClass + " calls for ReadWriteOnce" + where);
        }
        if (modes.contains(Keys.READ_WRITE_ONCE) && !modes.contains(Keys.READ_WRITE_MANY)) {
            return Check.pass(CheckArea.GOLDEN_VOLUMES, subject, check, describe(modes) + ", as StorageClass "
                    + storageClass + " calls for" + where);
        }
        return Check.fail(CheckArea.GOLDEN_VOLUMES, subject, check, describe(modes) + ", but golden images of StorageClass "
                + storageClass + " must be imported ReadWriteOnce: an images snapshot must come from a ReadWriteOnce disk" + where);
    }

    /** Why {@code name} is not an images class for {@code storageClass}'s driver, if it is not. */
    private Optional<String> notAnImagesClass(ClusterView cluster, StorageClass storageClass, String name) {
        Optional<VolumeSnapshotClass> vsc = cluster.volumeSnapshotClass(name);
        if (vsc.isEmpty()) {
            return Optional.of("VolumeSnapshotClass " + name + " is not in the input");
        }
        if (!Objects.equals(vsc.get().getDriver(), storageClass.getProvisioner())) {
            return Optional.of("its driver is " + vsc.get().getDriver() + ", not " + storageClass.getProvisioner());
        }
        Map<String, String> wanted = policy.catalog().factsOf(policy.keyOf(storageClass)).bootSource().snapshotClassParameters();
        if (!wanted.isEmpty() && !vsc.get().parametersOrEmpty().entrySet().containsAll(wanted.entrySet())) {
            return Optional.of("it lacks the parameters " + new java.util.TreeMap<>(wanted));
        }
        return Optional.empty();
    }

    private static Check profileCheck(ProfileDecision decision, GoldenSetup setup, boolean usedByGoldenImages) {
        String subject = "StorageProfile " + decision.storageClassName();
        String check = "annotations";
        List<AnnotationChange> changes = decision.changes();
        if (setup.by() != GoldenSetup.By.BOOTSOURCE) {
            return Check.pass(CheckArea.STORAGE_PROFILES, subject, check, "golden images are set up by " + setup.reason()
                    + "; BootSource's annotations are not needed"
                    + (changes.isEmpty() ? "" : " (the operator would still add them)"));
        }
        if (!changes.isEmpty() && !usedByGoldenImages) {
            String pending = changes.stream().map(SetupVerifier::describe).collect(Collectors.joining("; "));
            return Check.warn(CheckArea.STORAGE_PROFILES, subject, check, "no DataImportCron imports onto it, so nothing "
                    + "depends on it yet; the operator would: " + pending);
        }
        if (!changes.isEmpty()) {
            String pending = changes.stream().map(SetupVerifier::describe).collect(Collectors.joining("; "));
            return Check.fail(CheckArea.STORAGE_PROFILES, subject, check, "pending: " + pending
                    + (decision.warnings().isEmpty() ? "" : "; warning: " + String.join("; ", decision.warnings())));
        }
        if (!decision.warnings().isEmpty()) {
            return Check.warn(CheckArea.STORAGE_PROFILES, subject, check, String.join("; ", decision.warnings()));
        }
        Map<String, String> after = decision.annotationsAfter();
        return Check.pass(CheckArea.STORAGE_PROFILES, subject, check, "no pending changes; "
                + Keys.USE_RWO_FOR_BOOT_SOURCES + "=" + after.getOrDefault(Keys.USE_RWO_FOR_BOOT_SOURCES, "(absent)")
                + ", " + Keys.SNAPSHOT_CLASS_FOR_BOOT_SOURCES + "="
                + after.getOrDefault(Keys.SNAPSHOT_CLASS_FOR_BOOT_SOURCES, "(absent)"));
    }

    private List<Check> defaultChecks(ClusterView cluster, Decisions decisions) {
        List<Check> checks = new ArrayList<>();
        Optional<StorageClass> vmDefault = DefaultStorageClass.resolve(cluster);
        if (vmDefault.isEmpty()) {
            checks.add(Check.warn(CheckArea.DEFAULTS, "default storage class", "VM disks",
                    "no StorageClass is the default virt class or the default class: VM disks must name their class"));
        } else if (BootSourceClasses.isImagesOnly(vmDefault.get())) {
            checks.add(Check.fail(CheckArea.DEFAULTS, "StorageClass " + vmDefault.get().getMetadata().getName(), "VM disks",
                    "VM disks would land on this images-only class; make the original class the default (virt) class instead"));
        } else {
            checks.add(Check.pass(CheckArea.DEFAULTS, "StorageClass " + vmDefault.get().getMetadata().getName(), "VM disks",
                    "VM disks land on it, and it is not an images-only class"));
        }
        cluster.storageClasses().stream()
                .filter(BootSourceClasses::isImagesOnly)
                .filter(sc -> vmDefault.map(d -> d != sc).orElse(true))
                .sorted(Comparator.comparing(sc -> sc.getMetadata().getName()))
                .forEach(sc -> checks.add(BootSourceClasses.isDefaultStorageClass(sc)
                        ? Check.fail(CheckArea.DEFAULTS, "StorageClass " + sc.getMetadata().getName(), "not a default",
                        "an images-only class must not be a default class (the manual GCP workaround, Additional Notes)")
                        : Check.pass(CheckArea.DEFAULTS, "StorageClass " + sc.getMetadata().getName(), "not a default",
                        "images-only, and not a default class")));

        List<VolumeSnapshotClass> snapshotClasses = cluster.volumeSnapshotClasses().stream()
                .sorted(Comparator.comparing(vsc -> vsc.getMetadata().getName()))
                .toList();
        Set<String> imagesClasses = snapshotClasses.stream()
                .filter(vsc -> classes.isBootSourceSnapshotClass(cluster, vsc))
                .map(vsc -> vsc.getMetadata().getName())
                .collect(Collectors.toCollection(TreeSet::new));
        for (VolumeSnapshotClass vsc : snapshotClasses) {
            String name = vsc.getMetadata().getName();
            if (!imagesClasses.contains(name)) {
                continue;
            }
            checks.add(BootSourceClasses.isDefaultSnapshotClass(vsc)
                    ? Check.fail(CheckArea.DEFAULTS, "VolumeSnapshotClass " + name, "not the default",
                    "a boot-source snapshot class must not be the default: VM snapshots of ReadWriteMany disks would "
                            + "get it, and an images snapshot must come from a ReadWriteOnce disk (the manual GCP workaround, Additional Notes)")
                    : Check.pass(CheckArea.DEFAULTS, "VolumeSnapshotClass " + name, "not the default",
                    "boot-source snapshot class, and not the default"));
        }

        Set<String> drivers = cluster.storageClasses().stream()
                .filter(sc -> decisions.of(sc).effectiveSnapshotClass().isPresent())
                .map(StorageClass::getProvisioner)
                .filter(Objects::nonNull)
                .collect(Collectors.toCollection(TreeSet::new));
        if (drivers.isEmpty()) {
            boolean anyDefault = snapshotClasses.stream().anyMatch(BootSourceClasses::isDefaultSnapshotClass);
            checks.add(anyDefault
                    ? Check.pass(CheckArea.DEFAULTS, "default VolumeSnapshotClass", "exists", "a default VolumeSnapshotClass exists")
                    : Check.warn(CheckArea.DEFAULTS, "default VolumeSnapshotClass", "exists",
                    "no VolumeSnapshotClass is the default: VM snapshots must name their class"));
            return checks;
        }
        for (String driver : drivers) {
            List<VolumeSnapshotClass> defaults = snapshotClasses.stream()
                    .filter(vsc -> driver.equals(vsc.getDriver()))
                    .filter(BootSourceClasses::isDefaultSnapshotClass)
                    .toList();
            List<String> regular = defaults.stream().map(vsc -> vsc.getMetadata().getName())
                    .filter(name -> !imagesClasses.contains(name)).toList();
            String subject = "default VolumeSnapshotClass for " + driver;
            if (defaults.size() > 1) {
                checks.add(Check.fail(CheckArea.DEFAULTS, subject, "exists", defaults.size() + " classes of driver " + driver
                        + " are the default (" + defaults.stream().map(vsc -> vsc.getMetadata().getName())
                        .collect(Collectors.joining(", ")) + "): the snapshot controller refuses to pick one"));
            } else if (regular.size() == 1) {
                checks.add(Check.pass(CheckArea.DEFAULTS, subject, "exists", regular.get(0)
                        + " is the default, so VM snapshots keep the regular class"));
            } else {
                String candidates = snapshotClasses.stream().filter(vsc -> driver.equals(vsc.getDriver()))
                        .map(vsc -> vsc.getMetadata().getName()).filter(name -> !imagesClasses.contains(name))
                        .collect(Collectors.joining(", "));
                checks.add(Check.fail(CheckArea.DEFAULTS, subject, "exists", "no regular VolumeSnapshotClass of driver "
                        + driver + " is the default, so VM snapshots may get a boot-source class; annotate one with "
                        + Keys.DEFAULT_SNAPSHOT_CLASS + "=true (step 2 of the manual GCP workaround)"
                        + (candidates.isEmpty() ? "" : "; candidates: " + candidates)));
            }
        }
        return checks;
    }

    private static boolean belongsTo(HasMetadata golden, DataImportCron cron) {
        return Objects.equals(golden.getMetadata().getNamespace(), cron.getMetadata().getNamespace())
                && cronOf(golden).filter(cron.getMetadata().getName()::equals).isPresent();
    }

    private static Optional<String> cronOf(HasMetadata object) {
        Map<String, String> labels = object.getMetadata().getLabels();
        return Optional.ofNullable(labels == null ? null : labels.get(Keys.DATA_IMPORT_CRON_LABEL));
    }

    private static String key(HasMetadata object) {
        return object.getMetadata().getNamespace() + "/" + object.getMetadata().getName();
    }

    private static String describe(List<String> modes) {
        return "access modes " + modes;
    }

    private static String describe(AnnotationChange change) {
        return switch (change.op()) {
            case ADD -> "add " + change.key() + "=" + change.value();
            case REPLACE -> "set " + change.key() + "=" + change.value();
            case REMOVE -> "remove " + change.key();
        };
    }

    /** One policy decision per StorageClass, computed once. */
    private final class Decisions {
        private final ClusterView cluster;
        private final Map<String, ProfileDecision> byName = new HashMap<>();

        Decisions(ClusterView cluster) {
            this.cluster = cluster;
        }

        ProfileDecision of(StorageClass storageClass) {
            if (byName.isEmpty()) {
                // All at once: the shared-class rule is then decided once per driver, not once per class.
                policy.decideAll(cluster).forEach(decision -> byName.put(decision.storageClassName(), decision));
            }
            return byName.computeIfAbsent(storageClass.getMetadata().getName(), name -> policy.decide(cluster, storageClass));
        }

        private final Map<String, GoldenSetup> setups = new HashMap<>();
        private CdiManagement cdi;

        GoldenSetup setupOf(StorageClass storageClass) {
            if (cdi == null) {
                cdi = policy.cdiManagement(cluster);
            }
            return setups.computeIfAbsent(storageClass.getMetadata().getName(),
                    name -> GoldenSetup.of(cluster, storageClass, of(storageClass), cdi));
        }

        ProfileDecision of(String storageClassName) {
            return of(cluster.storageClass(storageClassName).orElseThrow());
        }
    }
}
