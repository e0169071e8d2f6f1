package dev.bootsource.policy;

import dev.bootsource.capabilities.CapabilityCatalog;
import dev.bootsource.capabilities.ProvisionerFacts;
import dev.bootsource.capabilities.ProvisionerKey;
import dev.bootsource.cluster.ClusterView;
import dev.bootsource.model.Keys;
import dev.bootsource.model.StorageProfile;
import dev.bootsource.model.VolumeSnapshotClass;
import io.fabric8.kubernetes.api.model.storage.StorageClass;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The StorageProfile annotations a StorageClass calls for (spec §3): a pure function of cluster state.
 * {@code plan}, the operator and the admission webhook all decide through this class.
 */
public final class BootSourcePolicy {

    /** Suffix of the boot-source snapshot class BootSource prefers and creates: {@code <storageclass>-images}. */
    public static final String IMAGES_SUFFIX = "-images";
    private static final int MAX_NAME_LENGTH = 253;

    private final CapabilityCatalog catalog;
    private final PolicyOptions options;

    public BootSourcePolicy(CapabilityCatalog catalog, PolicyOptions options) {
        this.catalog = catalog;
        this.options = options;
    }

    public CapabilityCatalog catalog() {
        return catalog;
    }

    public PolicyOptions options() {
        return options;
    }

    public ProvisionerKey keyOf(StorageClass storageClass) {
        return catalog.keyOf(storageClass.getProvisioner(), storageClass.getParameters());
    }

    /** The decision for the named StorageClass's profile, or empty when there is no such class. */
    public Optional<ProfileDecision> decide(ClusterView cluster, String storageClassName) {
        return cluster.storageClass(storageClassName).map(storageClass -> decide(cluster, storageClass));
    }

    /** Whether CDI manages boot sources in this cluster (spec §3.1), by the admin's switch or detected. */
    public CdiManagement cdiManagement(ClusterView cluster) {
        return CdiManagement.detect(cluster, options.cdiMode());
    }

    /**
     * The decision for one StorageClass's profile, with the warnings of spec §3.1 where CDI manages boot
     * sources. Callers deciding many profiles pass the {@link #cdiManagement} they worked out once.
     */
    public ProfileDecision decide(ClusterView cluster, StorageClass storageClass, CdiManagement cdi) {
        return withCdiConflicts(cluster, storageClass, decideAnnotations(cluster, storageClass), cdi);
    }

    /** Adds the warnings of spec §3.1 where CDI manages boot sources and will do other than the admin asked. */
    private ProfileDecision withCdiConflicts(ClusterView cluster, StorageClass storageClass, ProfileDecision decision,
                                             CdiManagement cdi) {
        if (!cdi.managesBootSources() || !decision.profileExists()) {
            return decision;
        }
        return decision.withWarnings(CdiConflicts.warnings(cluster, storageClass,
                catalog.factsOf(decision.provisionerKey()), decision.annotationsBefore()));
    }

    /** {@link #decide(ClusterView, StorageClass, CdiManagement)}, working out whether CDI manages boot sources. */
    public ProfileDecision decide(ClusterView cluster, StorageClass storageClass) {
        return decide(cluster, storageClass, cdiManagement(cluster));
    }

    /**
     * The annotations for one StorageClass's profile. StorageClasses are taken in name order and a class
     * BootSource plans to create for an earlier one counts as existing, so classes of one driver share it.
     * One decision replays the earlier classes of its driver; {@link #decideAll} decides a whole cluster
     * in one pass per driver.
     */
    private ProfileDecision decideAnnotations(ClusterView cluster, StorageClass storageClass) {
        ProfileDecision alone = decide(cluster, storageClass, List.of());
        if (!(alone.snapshotClassChoice() instanceof SnapshotClassChoice.ToCreate)) {
            return alone;
        }
        List<SnapshotClassToCreate> planned = plannedBefore(cluster, storageClass);
        return planned.isEmpty() ? alone : decide(cluster, storageClass, planned);
    }

    /**
     * The decision for every StorageClass, in name order: the same decisions {@link #decide(ClusterView,
     * StorageClass)} makes one at a time, with the shared-class rule decided once per driver.
     */
    public List<ProfileDecision> decideAll(ClusterView cluster) {
        return decideAll(cluster, cdiManagement(cluster));
    }

    /** {@link #decideAll(ClusterView)} with whether CDI manages boot sources already worked out. */
    public List<ProfileDecision> decideAll(ClusterView cluster, CdiManagement cdi) {
        List<StorageClass> byName = cluster.storageClasses().stream()
                .sorted(Comparator.comparing(sc -> sc.getMetadata().getName()))
                .toList();
        Map<String, List<SnapshotClassToCreate>> plannedByDriver = new HashMap<>();
        List<ProfileDecision> decisions = new ArrayList<>(byName.size());
        for (StorageClass storageClass : byName) {
            List<SnapshotClassToCreate> planned = storageClass.getProvisioner() == null
                    ? new ArrayList<>()
                    : plannedByDriver.computeIfAbsent(storageClass.getProvisioner(), driver -> new ArrayList<>());
            ProfileDecision decision = decideAfter(cluster, storageClass, planned);
            decision.snapshotClassToCreate().ifPresent(planned::add);
            decisions.add(withCdiConflicts(cluster, storageClass, decision, cdi));
        }
        return decisions;
    }

    /** Classes BootSource creates for StorageClasses of the same provisioner that come earlier by name. */
    private List<SnapshotClassToCreate> plannedBefore(ClusterView cluster, StorageClass storageClass) {
        String name = storageClass.getMetadata().getName();
        if (storageClass.getProvisioner() == null) {
            return List.of();
        }
        List<StorageClass> earlier = cluster.storageClassesOf(storageClass.getProvisioner()).stream()
                .filter(other -> other.getMetadata().getName().compareTo(name) < 0)
                .sorted(Comparator.comparing(other -> other.getMetadata().getName()))
                .toList();
        List<SnapshotClassToCreate> planned = new ArrayList<>();
        for (StorageClass other : earlier) {
            decideAfter(cluster, other, planned).snapshotClassToCreate().ifPresent(planned::add);
        }
        return planned;
    }

    /** The decision for a StorageClass given the classes planned for the earlier ones of its driver. */
    private ProfileDecision decideAfter(ClusterView cluster, StorageClass storageClass, List<SnapshotClassToCreate> planned) {
        ProfileDecision alone = decide(cluster, storageClass, List.of());
        if (planned.isEmpty() || !(alone.snapshotClassChoice() instanceof SnapshotClassChoice.ToCreate)) {
            return alone;
        }
        return decide(cluster, storageClass, planned);
    }

    private ProfileDecision decide(ClusterView cluster, StorageClass storageClass, List<SnapshotClassToCreate> planned) {
        String name = storageClass.getMetadata().getName();
        String provisioner = storageClass.getProvisioner() == null ? "" : storageClass.getProvisioner();
        ProvisionerKey key = keyOf(storageClass);
        ProvisionerFacts facts = catalog.factsOf(key);
        Optional<StorageProfile> profile = cluster.storageProfile(name);
        Map<String, String> found = profile.map(p -> p.getMetadata().getAnnotations()).orElse(null);
        ProfileReconciliation profileState = new ProfileReconciliation(found == null ? Map.of() : found);

        if (profile.isEmpty()) {
            profileState.warn("StorageProfile " + name + " does not exist yet; CDI creates one per StorageClass "
                    + "and BootSource annotates it then");
        }
        if (catalog.isUnsupported(provisioner)) {
            profileState.warn("provisioner " + provisioner + " is known not to work with CDI");
        }

        profileState.ensure(Keys.MINIMUM_PVC_SIZE, facts.minimumPvcSizeIfKnown(), facts.minimumPvcSizeIfKnown()
                .map(size -> "provisioner key " + key + " needs volumes of at least " + size)
                .orElse("no minimum volume size is known for provisioner key " + key));

        decideReadWriteOnce(profileState, key, facts);
        boolean effectiveReadWriteOnce = "true".equalsIgnoreCase(profileState.after(Keys.USE_RWO_FOR_BOOT_SOURCES));

        SnapshotClassChoice choice = chooseSnapshotClass(
                cluster, storageClass, key, facts, profileState, effectiveReadWriteOnce, planned);
        if (!(choice instanceof SnapshotClassChoice.UserSet)) {
            profileState.ensure(Keys.SNAPSHOT_CLASS_FOR_BOOT_SOURCES, choice.className(), choice.reason());
        }
        Optional<String> effectiveSnapshotClass = effectiveReadWriteOnce
                && !(choice instanceof SnapshotClassChoice.UserSet userSet && !userSet.effective())
                ? Optional.ofNullable(profileState.after(Keys.SNAPSHOT_CLASS_FOR_BOOT_SOURCES)).filter(v -> !v.isBlank())
                : Optional.empty();

        return new ProfileDecision(name, provisioner, key, profile.isPresent(),
                profileState.annotationsBefore(), profileState.annotationsAfter(),
                profileState.changes(), profileState.warnings(), choice,
                effectiveReadWriteOnce, effectiveSnapshotClass);
    }

    private void decideReadWriteOnce(ProfileReconciliation profileState, ProvisionerKey key, ProvisionerFacts facts) {
        String upstream = profileState.before(Keys.UPSTREAM_USE_RWO);
        if (upstream != null) {
            profileState.ensure(Keys.USE_RWO_FOR_BOOT_SOURCES, Optional.of(upstream),
                    "follows upstream CDI's " + Keys.UPSTREAM_USE_RWO + "=" + upstream);
        } else if (facts.bootSource().readWriteOnce()) {
            profileState.ensure(Keys.USE_RWO_FOR_BOOT_SOURCES, Optional.of("true"),
                    "provisioner key " + key + " restores golden images best from ReadWriteOnce snapshots");
        } else {
            profileState.ensure(Keys.USE_RWO_FOR_BOOT_SOURCES, Optional.empty(),
                    "provisioner key " + key + " is not in the ReadWriteOnce boot-source set");
        }
    }

    private SnapshotClassChoice chooseSnapshotClass(
            ClusterView cluster,
            StorageClass storageClass,
            ProvisionerKey key,
            ProvisionerFacts facts,
            ProfileReconciliation profileState,
            boolean effectiveReadWriteOnce,
            List<SnapshotClassToCreate> planned) {
        String name = storageClass.getMetadata().getName();
        String provisioner = storageClass.getProvisioner() == null ? "" : storageClass.getProvisioner();

        if (profileState.userSet(Keys.SNAPSHOT_CLASS_FOR_BOOT_SOURCES)) {
            return userSetChoice(cluster, provisioner, facts.bootSource().snapshotClassParameters(), profileState,
                    effectiveReadWriteOnce);
        }
        if (!effectiveReadWriteOnce) {
            return new SnapshotClassChoice.None("golden images of " + name + " are not imported ReadWriteOnce, "
                    + "and an images snapshot must come from a ReadWriteOnce disk");
        }
        Optional<String> unsupported = facts.bootSource().imagesSnapshotUnsupported(storageClass.getParameters());
        if (unsupported.isPresent()) {
            String upstream = profileState.before(Keys.UPSTREAM_SNAPSHOT_CLASS);
            profileState.warn(unsupported.get() + "; golden images of " + name
                    + " are imported ReadWriteOnce but keep the default snapshot class"
                    + (upstream == null ? "" : " (upstream CDI's " + Keys.UPSTREAM_SNAPSHOT_CLASS + "=" + upstream
                    + " is not followed)"));
            return new SnapshotClassChoice.None(unsupported.get());
        }
        String upstream = profileState.before(Keys.UPSTREAM_SNAPSHOT_CLASS);
        if (upstream != null && !upstream.isBlank()) {
            return new SnapshotClassChoice.Upstream(upstream,
                    "follows upstream CDI's " + Keys.UPSTREAM_SNAPSHOT_CLASS + "=" + upstream);
        }
        Map<String, String> wanted = facts.bootSource().snapshotClassParameters();
        if (wanted.isEmpty()) {
            profileState.warn("no boot-source snapshot class parameters are known for provisioner key " + key
                    + "; set " + Keys.SNAPSHOT_CLASS_FOR_BOOT_SOURCES + " by hand, or add bootSource."
                    + "snapshotClassParameters for " + key + " to the provisioner config");
            return new SnapshotClassChoice.None("no boot-source snapshot class parameters are known for " + key);
        }
        String describedMatch = "driver " + provisioner + " and parameters " + wanted;

        List<String> existing = cluster.volumeSnapshotClassesOf(provisioner).stream()
                .filter(vsc -> matches(vsc, provisioner, wanted))
                .map(vsc -> vsc.getMetadata().getName())
                .toList();
        String current = profileState.before(Keys.SNAPSHOT_CLASS_FOR_BOOT_SOURCES);
        if (profileState.ownedByBootSource(Keys.SNAPSHOT_CLASS_FOR_BOOT_SOURCES) && existing.contains(current)) {
            return new SnapshotClassChoice.Kept(current, "VolumeSnapshotClass " + current + " still has " + describedMatch);
        }
        if (!existing.isEmpty()) {
            String chosen = preferred(name, existing, cluster);
            return new SnapshotClassChoice.Discovered(chosen,
                    "VolumeSnapshotClass " + chosen + " has " + describedMatch + whyPreferred(name, chosen, existing, cluster));
        }
        List<SnapshotClassToCreate> plannedMatches = planned.stream()
                .filter(p -> p.driver().equals(provisioner) && p.parameters().entrySet().containsAll(wanted.entrySet()))
                .toList();
        if (!plannedMatches.isEmpty()) {
            SnapshotClassToCreate shared = plannedMatches.get(0);
            boolean ownerHasNoProfile = cluster.storageProfile(shared.forStorageClass()).isEmpty();
            return new SnapshotClassChoice.Planned(shared, ownerHasNoProfile, "BootSource creates VolumeSnapshotClass "
                    + shared.name() + " with " + describedMatch + " for StorageClass " + shared.forStorageClass()
                    + ", which comes first by name; classes of one driver share it");
        }
        if (!options.autoCreateSnapshotClasses()) {
            profileState.warn("no VolumeSnapshotClass has " + describedMatch + " and auto-create is off: "
                    + "golden snapshots of " + name + " keep the default class until one is created");
            return new SnapshotClassChoice.None("no VolumeSnapshotClass has " + describedMatch);
        }
        String toCreate = name + IMAGES_SUFFIX;
        if (toCreate.length() > MAX_NAME_LENGTH) {
            profileState.warn("cannot create a boot-source snapshot class for " + name + ": the name " + toCreate
                    + " is longer than " + MAX_NAME_LENGTH + " characters");
            return new SnapshotClassChoice.None("the name " + toCreate + " is too long");
        }
        if (cluster.volumeSnapshotClass(toCreate).isPresent()) {
            profileState.warn("VolumeSnapshotClass " + toCreate + " exists but does not have " + describedMatch
                    + " (or is being deleted); BootSource does not replace it, so golden snapshots of " + name
                    + " keep the default class");
            return new SnapshotClassChoice.None("VolumeSnapshotClass " + toCreate + " exists but does not match");
        }
        return new SnapshotClassChoice.ToCreate(new SnapshotClassToCreate(toCreate, provisioner, wanted, name),
                "no VolumeSnapshotClass has " + describedMatch + "; BootSource creates " + toCreate);
    }

    /**
     * A user's VSC stays on the profile whatever it names (spec §3 rule 6), but golden snapshots are taken
     * with it only when the class exists, belongs to the StorageClass's driver and is not being deleted.
     */
    private SnapshotClassChoice userSetChoice(ClusterView cluster, String provisioner, Map<String, String> wanted,
                                              ProfileReconciliation profileState, boolean effectiveReadWriteOnce) {
        String value = profileState.before(Keys.SNAPSHOT_CLASS_FOR_BOOT_SOURCES);
        String named = "VolumeSnapshotClass " + value + " named by a user in " + Keys.SNAPSHOT_CLASS_FOR_BOOT_SOURCES;
        String kept = "; the value is kept, but golden snapshots are not taken with it";
        Optional<VolumeSnapshotClass> found = cluster.volumeSnapshotClass(value);
        boolean effective = false;
        if (found.isEmpty()) {
            profileState.warn(named + " does not exist" + kept + " until it does");
        } else if (found.get().isBeingDeleted()) {
            profileState.warn(named + " is being deleted" + kept);
        } else if (!provisioner.equals(found.get().getDriver())) {
            profileState.warn(named + " belongs to driver " + found.get().getDriver() + ", not to this StorageClass's "
                    + "provisioner " + provisioner + kept + " (its snapshots could never become ready)");
        } else {
            effective = true;
            if (!wanted.isEmpty() && !found.get().parametersOrEmpty().entrySet().containsAll(wanted.entrySet())) {
                profileState.warn(named + " does not have parameters " + wanted + "; golden snapshots are taken with "
                        + "it, but keep the restore limit of ordinary snapshots");
            }
        }
        if (!effectiveReadWriteOnce) {
            profileState.warn(Keys.SNAPSHOT_CLASS_FOR_BOOT_SOURCES + "=" + value + " is not used: golden images are "
                    + "not imported ReadWriteOnce, and an images snapshot must come from a ReadWriteOnce disk");
        }
        return new SnapshotClassChoice.UserSet(value, effective, "set by a user; BootSource never changes it");
    }

    /** {@code <storageclass>-images} first, then the default class, then the smallest name. */
    private static String preferred(String storageClassName, List<String> candidates, ClusterView cluster) {
        String named = storageClassName + IMAGES_SUFFIX;
        if (candidates.contains(named)) {
            return named;
        }
        return candidates.stream()
                .filter(candidate -> isDefault(candidate, cluster))
                .min(Comparator.naturalOrder())
                .orElseGet(() -> candidates.stream().min(Comparator.naturalOrder()).orElseThrow());
    }

    private static String whyPreferred(String storageClassName, String chosen, List<String> candidates, ClusterView cluster) {
        if (candidates.size() == 1) {
            return "";
        }
        if (chosen.equals(storageClassName + IMAGES_SUFFIX)) {
            return " and is named after the StorageClass";
        }
        return isDefault(chosen, cluster) ? " and is the default snapshot class" : " and has the smallest name of "
                + candidates.size() + " matching classes";
    }

    private static boolean isDefault(String snapshotClassName, ClusterView cluster) {
        return cluster.volumeSnapshotClass(snapshotClassName).stream().anyMatch(VolumeSnapshotClass::isDefault);
    }

    /** A boot-source class for the provisioner: same driver, the wanted parameters, not being deleted. */
    public static boolean matches(VolumeSnapshotClass vsc, String provisioner, Map<String, String> wanted) {
        return provisioner.equals(vsc.getDriver())
                && !vsc.isBeingDeleted()
                && vsc.parametersOrEmpty().entrySet().containsAll(wanted.entrySet());
    }
}
