package dev.bootsource.policy.workaround;

import dev.bootsource.errors.InvalidInputException;
import dev.bootsource.cluster.ClusterSnapshot;
import dev.bootsource.cluster.ClusterView;
import dev.bootsource.model.DataImportCron;
import dev.bootsource.model.Keys;
import dev.bootsource.model.Opaque;
import dev.bootsource.model.StorageProfile;
import dev.bootsource.model.VolumeSnapshotClass;
import dev.bootsource.policy.BootSourceClasses;
import dev.bootsource.policy.BootSourcePolicy;
import dev.bootsource.policy.ClusterPlan;
import dev.bootsource.policy.ClusterPlanner;
import dev.bootsource.policy.DefaultStorageClass;
import dev.bootsource.policy.ProfileDecision;
import dev.bootsource.policy.SnapshotClassToCreate;
import dev.bootsource.policy.workaround.WorkaroundDocument.CronElsewhere;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClass;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Steps 1-6 of the manual GCP workaround, for a cluster that cannot run the operator: which objects a cluster
 * admin applies by hand, and why, as a {@link WorkaroundPlan}. A pure function of the cluster state, built on
 * the same policy as {@code plan}, so the classes and annotations are the ones the operator would write. A step
 * the cluster has already taken is recognised and skipped, with a note saying so.
 *
 * <p>Deliberate differences from the manual workaround: Step 4 does not filter the profile's claimPropertySets (RWX stays
 * in the profile, spec §3.5); golden images get ReadWriteOnce from the RWO annotation and, for a CDI that
 * ignores it, from {@code accessModes: [ReadWriteOnce]} in the DataImportCron templates (what BootSource's
 * webhook would add, spec §4).
 */
public final class WorkaroundPlanner {

    private static final Set<String> POLICY_KEYS = Set.of(
            Keys.MINIMUM_PVC_SIZE, Keys.USE_RWO_FOR_BOOT_SOURCES, Keys.SNAPSHOT_CLASS_FOR_BOOT_SOURCES);

    private final BootSourcePolicy policy;
    private final BootSourceClasses classes;

    public WorkaroundPlanner(BootSourcePolicy policy) {
        this.policy = policy;
        this.classes = new BootSourceClasses(policy);
    }

    /**
     * @param cluster the state; its DataImportCrons are the templates Step 5 points at the images-only class
     * @param options which class to copy, where HyperConverged lives, whether to write Steps 1, 4 and 5
     * @throws IllegalArgumentException when {@code options} names a StorageClass the state does not have
     */
    public WorkaroundPlan plan(ClusterView cluster, WorkaroundOptions options) {
        Collection<DataImportCron> crons = cluster.dataImportCrons();
        ClusterPlan plan = new ClusterPlanner(policy).plan(cluster);
        List<WorkaroundNote> notes = new ArrayList<>(DefaultSnapshotClasses.notes(cluster, plan, classes));
        Map<String, SnapshotClassToCreate> toCreate = new LinkedHashMap<>();
        plan.snapshotClassesToCreate().forEach(create -> toCreate.put(create.name(), create));

        ImagesClass imagesClass = options.imagesStorageClass()
                ? imagesClass(cluster, plan, crons, options, toCreate, notes)
                : ImagesClass.NONE;

        List<WorkaroundDocument> documents = new ArrayList<>();
        toCreate.values().forEach(create -> documents.add(imagesSnapshotClass(create, plan)));
        if (toCreate.isEmpty()) {
            notes.add(new WorkaroundNote.SnapshotClassesExist(plan.storageProfiles().stream()
                    .map(ProfileDecision::effectiveSnapshotClass)
                    .flatMap(Optional::stream)
                    .collect(Collectors.toCollection(TreeSet::new))));
        }
        for (ProfileDecision profile : plan.storageProfiles()) {
            if (profile.changes().isEmpty()) {
                continue;
            }
            if (profile.profileExists()) {
                documents.add(new WorkaroundDocument.ProfileAnnotations(profile));
            } else {
                notes.add(new WorkaroundNote.ProfileNotInInput(profile.storageClassName()));
            }
        }
        documents.addAll(imagesClass.documents());
        ClusterSnapshot applied = afterApplying(cluster, imagesClass.copy(), toCreate.values()).toBuilder()
                .dataImportCrons(crons.stream().map(cron -> imagesClass.retargeted().contains(cron)
                        ? CronTemplates.retargeted(cron, imagesClass.copy().orElseThrow().getMetadata().getName()) : cron).toList())
                .volumeSnapshots(cluster.dataImportCronSnapshots())
                .build();
        return new WorkaroundPlan(notes, documents, GoldenSnapshotCleanup.decide(policy, applied));
    }

    /** What Steps 1, 4 and 5 write, the images-only class, and the crons pointed at it. */
    private record ImagesClass(List<WorkaroundDocument> documents, Optional<StorageClass> copy, List<DataImportCron> retargeted) {
        static final ImagesClass NONE = new ImagesClass(List.of(), Optional.empty(), List.of());
    }

    /**
     * What-if: the cluster as it will be once the documents are applied: the images-only class and the
     * planned snapshot classes exist.
     */
    private static ClusterSnapshot afterApplying(ClusterView cluster, Optional<StorageClass> copy,
                                                 Collection<SnapshotClassToCreate> planned) {
        List<StorageClass> storageClasses = new ArrayList<>(cluster.storageClasses());
        copy.filter(sc -> cluster.storageClass(sc.getMetadata().getName()).isEmpty()).ifPresent(storageClasses::add);
        List<VolumeSnapshotClass> snapshotClasses = new ArrayList<>(cluster.volumeSnapshotClasses());
        planned.forEach(create -> snapshotClasses.add(create.toVolumeSnapshotClass()));
        List<StorageProfile> profiles = storageClasses.stream()
                .map(sc -> cluster.storageProfile(sc.getMetadata().getName()))
                .flatMap(Optional::stream)
                .toList();
        // CDI resources and PVCs carried over, so the what-if decides like `plan` on the same cluster.
        return ClusterSnapshot.builder()
                .storageClasses(storageClasses)
                .volumeSnapshotClasses(snapshotClasses)
                .storageProfiles(profiles)
                .persistentVolumeClaims(cluster.persistentVolumeClaims())
                .cdis(cluster.cdis())
                .build();
    }

    // ---- Step 3 ------------------------------------------------------------------------------------------

    private static WorkaroundDocument imagesSnapshotClass(SnapshotClassToCreate create, ClusterPlan plan) {
        VolumeSnapshotClass vsc = create.toVolumeSnapshotClass();
        vsc.getMetadata().getAnnotations().put(Keys.DEFAULT_SNAPSHOT_CLASS, "false");
        List<String> users = plan.storageProfiles().stream()
                .filter(p -> p.effectiveSnapshotClass().filter(create.name()::equals).isPresent())
                .map(ProfileDecision::storageClassName)
                .toList();
        return new WorkaroundDocument.ImagesSnapshotClass(vsc, create, users.isEmpty() ? List.of(create.forStorageClass()) : users);
    }

    // ---- Steps 1, 4 and 5 ----------------------------------------------------------------------------------

    private ImagesClass imagesClass(
            ClusterView cluster,
            ClusterPlan plan,
            Collection<DataImportCron> crons,
            WorkaroundOptions options,
            Map<String, SnapshotClassToCreate> toCreate,
            List<WorkaroundNote> notes) {
        Optional<StorageClass> chosen = options.storageClass().isPresent()
                ? Optional.of(cluster.storageClass(options.storageClass().get()).orElseThrow(() -> new InvalidInputException(
                "StorageClass " + options.storageClass().get() + " (--storage-class) is not in the input")))
                : DefaultStorageClass.resolve(cluster);
        if (chosen.isEmpty()) {
            notes.add(new WorkaroundNote.NoClassToCopy());
            return ImagesClass.NONE;
        }
        StorageClass original = chosen.get();
        String originalName = original.getMetadata().getName();
        if (BootSourceClasses.isImagesOnly(original)) {
            notes.add(new WorkaroundNote.ClassIsImagesOnly(originalName));
            return ImagesClass.NONE;
        }
        ProfileDecision originalDecision = plan.storageProfiles().stream()
                .filter(p -> p.storageClassName().equals(originalName)).findFirst().orElseThrow();
        if (!originalDecision.effectiveReadWriteOnce()) {
            notes.add(new WorkaroundNote.NotReadWriteOnce(originalName,
                    Optional.ofNullable(originalDecision.annotationsAfter().get(Keys.USE_RWO_FOR_BOOT_SOURCES)),
                    originalDecision.provisionerKey().value()));
            return ImagesClass.NONE;
        }

        List<WorkaroundDocument> documents = new ArrayList<>();
        Optional<StorageClass> existingCopy = BootSourceClasses.imagesOnlyCopyOf(cluster, original);
        StorageClass copy;
        if (existingCopy.isPresent()) {
            copy = existingCopy.get();
            notes.add(new WorkaroundNote.CopyExists(copy.getMetadata().getName(), originalName));
        } else {
            String copyName = originalName + BootSourcePolicy.IMAGES_SUFFIX;
            if (cluster.storageClass(copyName).isPresent()) {
                notes.add(new WorkaroundNote.CopyNameTaken(copyName, originalName));
                return ImagesClass.NONE;
            }
            copy = imagesOnlyCopy(original, copyName);
            documents.add(new WorkaroundDocument.ImagesStorageClass(copy, originalName));
        }
        String copyName = copy.getMetadata().getName();

        ProfileDecision copyDecision = policy.decide(
                afterApplying(cluster, Optional.of(copy), List.copyOf(toCreate.values())), copy);
        copyDecision.snapshotClassToCreate().ifPresent(create -> toCreate.putIfAbsent(create.name(), create));
        StorageProfile imagesProfile = imagesProfile(copyDecision);
        if (StepsTaken.imagesProfile(existingCopy.isPresent(), cluster.storageProfile(copyName), copyDecision.effectiveSnapshotClass())) {
            notes.add(new WorkaroundNote.ImagesProfileDone(copyName, copyDecision.effectiveSnapshotClass()));
        } else {
            documents.add(new WorkaroundDocument.ImagesProfile(imagesProfile, copyDecision));
        }

        List<DataImportCron> sorted = crons.stream()
                .sorted(Comparator.comparing((DataImportCron c) -> c.getMetadata().getNamespace())
                        .thenComparing(c -> c.getMetadata().getName()))
                .toList();
        List<DataImportCron> retarget = new ArrayList<>();
        List<CronElsewhere> others = new ArrayList<>();
        for (DataImportCron cron : sorted) {
            Optional<String> resolved = DefaultStorageClass.resolve(cluster, cron.templateStorageClassName())
                    .map(sc -> sc.getMetadata().getName())
                    .or(cron::templateStorageClassName);
            if (resolved.filter(name -> name.equals(originalName) || name.equals(copyName)).isPresent()) {
                retarget.add(cron);
            } else {
                others.add(new CronElsewhere(cron.getMetadata().getNamespace(), cron.getMetadata().getName(), resolved));
            }
        }
        boolean readWriteOnce = copyDecision.effectiveReadWriteOnce();
        if (retarget.isEmpty()) {
            notes.add(new WorkaroundNote.NoCronOnClass(originalName, copyName, others));
        } else if (retarget.stream().allMatch(cron -> StepsTaken.cronOnImagesClass(cron, copyName, readWriteOnce,
                cluster.storageProfile(copyName)))) {
            notes.add(new WorkaroundNote.TemplatesDone(copyName, retarget.stream()
                    .map(cron -> cron.getMetadata().getNamespace() + "/" + cron.getMetadata().getName()).toList()));
        } else {
            documents.add(new WorkaroundDocument.CronTemplates(
                    CronTemplates.hyperConverged(retarget, copyName, readWriteOnce, options), copyName, readWriteOnce,
                    retarget.stream().map(cron -> cron.getMetadata().getNamespace()).distinct().toList(), others));
        }
        return new ImagesClass(documents, Optional.of(copy), retarget);
    }

    private static StorageClass imagesOnlyCopy(StorageClass original, String copyName) {
        StorageClass copy = new StorageClass();
        copy.setMetadata(new ObjectMetaBuilder()
                .withName(copyName)
                .addToLabels(Keys.MANAGED_BY_LABEL, Keys.MANAGED_BY_VALUE)
                .addToAnnotations(Keys.DEFAULT_STORAGE_CLASS, "false")
                .addToAnnotations(Keys.DEFAULT_VIRT_STORAGE_CLASS, "false")
                .addToAnnotations(Keys.CREATED_FOR_STORAGE_CLASS, original.getMetadata().getName())
                .build());
        copy.setProvisioner(original.getProvisioner());
        copy.setParameters(original.getParameters() == null ? null : new TreeMap<>(original.getParameters()));
        copy.setReclaimPolicy(original.getReclaimPolicy());
        copy.setVolumeBindingMode(original.getVolumeBindingMode());
        copy.setAllowVolumeExpansion(original.getAllowVolumeExpansion());
        copy.setMountOptions(original.getMountOptions());
        copy.setAllowedTopologies(original.getAllowedTopologies());
        return copy;
    }

    /** The images-only class's profile: the policy's annotations, and {@code spec.snapshotClass} when it has one. */
    private static StorageProfile imagesProfile(ProfileDecision decision) {
        Map<String, String> annotations = new TreeMap<>();
        decision.annotationsAfter().forEach((key, value) -> {
            if (POLICY_KEYS.contains(key)) {
                annotations.put(key, value);
            }
        });
        StorageProfile profile = new StorageProfile();
        profile.setMetadata(new ObjectMetaBuilder().withName(decision.storageClassName()).withAnnotations(annotations).build());
        decision.effectiveSnapshotClass().ifPresent(snapshotClass -> {
            Opaque spec = new Opaque();
            spec.setAdditionalProperty("snapshotClass", snapshotClass);
            profile.setSpec(spec);
        });
        return profile;
    }
}
