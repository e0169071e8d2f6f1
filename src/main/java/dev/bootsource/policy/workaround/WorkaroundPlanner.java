package dev.bootsource.policy.workaround;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bootsource.cluster.ClusterSnapshot;
import dev.bootsource.cluster.ClusterView;
import dev.bootsource.cluster.KubernetesObjects;
import dev.bootsource.model.DataImportCron;
import dev.bootsource.model.DataVolume;
import dev.bootsource.model.Keys;
import dev.bootsource.model.StorageProfile;
import dev.bootsource.model.StorageSpec;
import dev.bootsource.model.VolumeSnapshotClass;
import dev.bootsource.policy.AnnotationChange;
import dev.bootsource.policy.BootSourcePolicy;
import dev.bootsource.policy.ClusterPlan;
import dev.bootsource.policy.ClusterPlanner;
import dev.bootsource.policy.DefaultStorageClass;
import dev.bootsource.policy.GoldenSnapshotDecision;
import dev.bootsource.policy.GoldenSnapshotMode;
import dev.bootsource.policy.GoldenSnapshotPolicy;
import dev.bootsource.policy.ProfileDecision;
import dev.bootsource.policy.SnapshotClassToCreate;
import dev.bootsource.policy.BootSourceClasses;
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
 * Steps 1-6 of the manual GCP workaround, for a cluster that cannot run the operator: the documents a
 * cluster admin applies by hand, each with what it is for. A pure function of the cluster state, built
 * on the same policy as {@code plan}, so the classes and annotations are the ones the operator would write.
 *
 * <p>Deliberate differences from the manual workaround: Step 4 does not filter the profile's claimPropertySets (RWX stays
 * in the profile, SPEC §3.5); golden images get ReadWriteOnce from the RWO annotation and, for a CDI that
 * ignores it, from {@code accessModes: [ReadWriteOnce]} in the DataImportCron templates (what BootSource's
 * webhook would add, SPEC §4).
 */
public final class WorkaroundPlanner {

    static final String HYPERCONVERGED_API_VERSION = "hco.kubevirt.io/v1beta1";
    private static final Set<String> POLICY_KEYS = Set.of(
            Keys.MINIMUM_PVC_SIZE, Keys.USE_RWO_FOR_BOOT_SOURCES, Keys.SNAPSHOT_CLASS_FOR_BOOT_SOURCES);
    /** Annotations controllers write on a running DataImportCron; they do not belong in a template. */
    private static final List<String> RUNTIME_ANNOTATION_PREFIXES = List.of(
            "cdi.kubevirt.io/storage.import.", "kubectl.kubernetes.io/", "operator-sdk/", "bootsource.dev/");
    /** Labels operators put on the DataImportCrons they own. */
    private static final List<String> RUNTIME_LABEL_PREFIXES = List.of("app.kubernetes.io/");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

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
    public Workaround plan(ClusterView cluster, WorkaroundOptions options) {
        Collection<DataImportCron> crons = cluster.dataImportCrons();
        ClusterPlan plan = new ClusterPlanner(policy).plan(cluster);
        List<String> header = new ArrayList<>(defaultSnapshotClassNotes(cluster, plan));
        Map<String, SnapshotClassToCreate> toCreate = new LinkedHashMap<>();
        plan.snapshotClassesToCreate().forEach(create -> toCreate.put(create.name(), create));

        ImagesClass imagesClass = options.imagesStorageClass()
                ? imagesClass(cluster, plan, crons, options, toCreate, header)
                : ImagesClass.NONE;

        List<Manifest> manifests = new ArrayList<>();
        toCreate.values().forEach(create -> manifests.add(snapshotClassManifest(create, plan)));
        if (toCreate.isEmpty()) {
            header.add("Step 3: no VolumeSnapshotClass to create: " + existingBootSourceClasses(plan));
        }
        for (ProfileDecision profile : plan.storageProfiles()) {
            if (profile.changes().isEmpty()) {
                continue;
            }
            if (profile.profileExists()) {
                manifests.add(profileAnnotationsManifest(profile));
            } else {
                header.add("StorageProfile " + profile.storageClassName() + " is not in the input; CDI creates one per "
                        + "StorageClass: run workaround again with it to get its annotations");
            }
        }
        manifests.addAll(imagesClass.manifests());
        ClusterView applied = applied(cluster, crons, imagesClass, toCreate.values());
        return new Workaround(header, manifests, goldenSnapshotCommands(applied));
    }

    /** What Steps 1, 4 and 5 write, the images-only class, and the crons pointed at it. */
    private record ImagesClass(List<Manifest> manifests, Optional<StorageClass> copy, List<DataImportCron> retargeted) {
        static final ImagesClass NONE = new ImagesClass(List.of(), Optional.empty(), List.of());
    }

    /**
     * The state once the documents are applied: the images-only class and the snapshot classes exist, and the
     * crons import onto the images-only class. Step 6 is decided on it, since it runs after the documents.
     */
    private static ClusterView applied(
            ClusterView cluster,
            Collection<DataImportCron> crons,
            ImagesClass imagesClass,
            Collection<SnapshotClassToCreate> toCreate) {
        List<StorageClass> storageClasses = new ArrayList<>(cluster.storageClasses());
        imagesClass.copy().filter(copy -> cluster.storageClass(copy.getMetadata().getName()).isEmpty())
                .ifPresent(storageClasses::add);
        List<VolumeSnapshotClass> snapshotClasses = new ArrayList<>(cluster.volumeSnapshotClasses());
        toCreate.forEach(create -> snapshotClasses.add(create.toVolumeSnapshotClass()));
        List<StorageProfile> profiles = storageClasses.stream()
                .map(sc -> cluster.storageProfile(sc.getMetadata().getName()))
                .flatMap(Optional::stream)
                .toList();
        List<DataImportCron> appliedCrons = new ArrayList<>();
        for (DataImportCron cron : crons) {
            if (imagesClass.retargeted().contains(cron) && imagesClass.copy().isPresent()) {
                appliedCrons.add(retargeted(cron, imagesClass.copy().get().getMetadata().getName()));
            } else {
                appliedCrons.add(cron);
            }
        }
        return new ClusterSnapshot(storageClasses, snapshotClasses, profiles, List.of(), appliedCrons,
                cluster.dataImportCronSnapshots());
    }

    private static DataImportCron retargeted(DataImportCron cron, String storageClass) {
        DataImportCron copy = KubernetesObjects.MAPPER.convertValue(cron, DataImportCron.class);
        if (copy.getSpec() == null) {
            copy.setSpec(new DataImportCron.Spec());
        }
        if (copy.getSpec().getTemplate() == null) {
            copy.getSpec().setTemplate(new DataImportCron.Template());
        }
        if (copy.getSpec().getTemplate().getSpec() == null) {
            copy.getSpec().getTemplate().setSpec(new DataVolume.Spec());
        }
        DataVolume.Spec spec = copy.getSpec().getTemplate().getSpec();
        if (spec.getStorage() == null && spec.getPvc() == null) {
            spec.setStorage(new StorageSpec());
        }
        (spec.getStorage() != null ? spec.getStorage() : spec.getPvc()).setStorageClassName(storageClass);
        return copy;
    }

    // ---- Step 2 ------------------------------------------------------------------------------------------

    private List<String> defaultSnapshotClassNotes(ClusterView cluster, ClusterPlan plan) {
        Set<String> drivers = plan.storageProfiles().stream()
                .filter(p -> p.effectiveSnapshotClass().isPresent())
                .map(ProfileDecision::provisioner)
                .collect(Collectors.toCollection(TreeSet::new));
        List<String> notes = new ArrayList<>();
        for (String driver : drivers) {
            List<VolumeSnapshotClass> ofDriver = cluster.volumeSnapshotClasses().stream()
                    .filter(vsc -> driver.equals(vsc.getDriver()))
                    .sorted(Comparator.comparing(vsc -> vsc.getMetadata().getName()))
                    .toList();
            List<String> regular = ofDriver.stream().filter(vsc -> !classes.isBootSourceSnapshotClass(cluster, vsc))
                    .map(vsc -> vsc.getMetadata().getName()).toList();
            List<String> regularDefaults = ofDriver.stream().filter(BootSourceClasses::isDefaultSnapshotClass)
                    .map(vsc -> vsc.getMetadata().getName()).filter(regular::contains).toList();
            List<String> imagesDefaults = ofDriver.stream().filter(BootSourceClasses::isDefaultSnapshotClass)
                    .map(vsc -> vsc.getMetadata().getName()).filter(name -> !regular.contains(name)).toList();
            for (String images : imagesDefaults) {
                notes.add("Step 2: VolumeSnapshotClass " + images + " is a boot-source class and must not be the default:");
                notes.add("  kubectl annotate volumesnapshotclass " + images + " " + Keys.DEFAULT_SNAPSHOT_CLASS + "=false --overwrite");
            }
            if (regularDefaults.size() == 1) {
                notes.add("Step 2: VolumeSnapshotClass " + regularDefaults.get(0) + " is the default of driver " + driver
                        + ", so VM snapshots keep it; nothing to do");
            } else if (regularDefaults.size() > 1) {
                notes.add("Step 2: " + String.join(", ", regularDefaults) + " are all the default of driver " + driver
                        + "; keep one (kubectl annotate volumesnapshotclass NAME " + Keys.DEFAULT_SNAPSHOT_CLASS + "=false --overwrite)");
            } else if (regular.size() == 1) {
                notes.add("Step 2: driver " + driver + " has no default VolumeSnapshotClass; make the regular one the "
                        + "default so VM snapshots keep it:");
                notes.add("  kubectl annotate volumesnapshotclass " + regular.get(0) + " " + Keys.DEFAULT_SNAPSHOT_CLASS + "=true --overwrite");
            } else if (regular.isEmpty()) {
                notes.add("Step 2: driver " + driver + " has no regular VolumeSnapshotClass (one without the boot-source "
                        + "parameters); create one and make it the default so VM snapshots do not get an images class");
            } else {
                notes.add("Step 2: driver " + driver + " has no default VolumeSnapshotClass; make one of " + String.join(", ", regular)
                        + " the default: kubectl annotate volumesnapshotclass NAME " + Keys.DEFAULT_SNAPSHOT_CLASS + "=true --overwrite");
            }
        }
        return notes;
    }

    // ---- Step 3 ------------------------------------------------------------------------------------------

    private static Manifest snapshotClassManifest(SnapshotClassToCreate create, ClusterPlan plan) {
        VolumeSnapshotClass vsc = create.toVolumeSnapshotClass();
        vsc.getMetadata().getAnnotations().put(Keys.DEFAULT_SNAPSHOT_CLASS, "false");
        List<String> users = plan.storageProfiles().stream()
                .filter(p -> p.effectiveSnapshotClass().filter(create.name()::equals).isPresent())
                .map(ProfileDecision::storageClassName)
                .toList();
        List<String> comments = List.of(
                "step 3 of the manual GCP workaround: VolumeSnapshotClass " + create.name() + " for driver " + create.driver() + ", with "
                        + new TreeMap<>(create.parameters()) + ": golden images are snapshotted with it, and such snapshots",
                "restore into ReadWriteMany disks without the 6-restores-an-hour limit. Not the default: VM snapshots keep theirs.",
                "Used by StorageClass(es): " + (users.isEmpty() ? create.forStorageClass() : String.join(", ", users))
                        + ". The operator would create the same class.");
        return new Manifest(WorkaroundStep.SNAPSHOT_CLASS, comments, ordered(KubernetesObjects.MAPPER.valueToTree(vsc)));
    }

    private static String existingBootSourceClasses(ClusterPlan plan) {
        Set<String> used = plan.storageProfiles().stream()
                .map(ProfileDecision::effectiveSnapshotClass)
                .flatMap(Optional::stream)
                .collect(Collectors.toCollection(TreeSet::new));
        return used.isEmpty() ? "no StorageClass calls for a boot-source snapshot class"
                : "the boot-source class(es) " + String.join(", ", used) + " exist already";
    }

    // ---- StorageProfile annotations ------------------------------------------------------------------------

    private static Manifest profileAnnotationsManifest(ProfileDecision profile) {
        String name = profile.storageClassName();
        List<String> comments = new ArrayList<>();
        comments.add("StorageProfile " + name + ": the boot-source annotations for StorageClass " + name
                + " (provisioner key " + profile.provisionerKey() + "):");
        ObjectNode annotations = NODES.objectNode();
        List<String> annotate = new ArrayList<>();
        for (AnnotationChange change : profile.changes()) {
            if (change.op() == AnnotationChange.Op.REMOVE) {
                comments.add("  - " + change.key() + ": " + change.reason());
                annotations.putNull(change.key());
                annotate.add(change.key() + "-");
            } else {
                comments.add("  + " + change.key() + "=" + change.value() + ": " + change.reason());
                annotations.put(change.key(), change.value());
                annotate.add(change.key() + "=" + change.value());
            }
        }
        profile.warnings().forEach(warning -> comments.add("  warning: " + warning));
        comments.add("Only metadata.annotations: the profile's spec is not touched, ReadWriteMany stays in it.");
        if (profile.changes().stream().anyMatch(change -> !change.key().equals(Keys.MINIMUM_PVC_SIZE))) {
            comments.add("A CDI that reads these annotations imports golden images ReadWriteOnce and snapshots them with the class named.");
        }
        comments.add("Same as: kubectl annotate storageprofile " + name + " " + String.join(" ", annotate) + " --overwrite");
        ObjectNode document = NODES.objectNode()
                .put("apiVersion", "cdi.kubevirt.io/v1beta1")
                .put("kind", "StorageProfile");
        document.putObject("metadata").put("name", name).set("annotations", annotations);
        return new Manifest(WorkaroundStep.PROFILE_ANNOTATIONS, comments, document);
    }

    // ---- Steps 1, 4 and 5 ----------------------------------------------------------------------------------

    private ImagesClass imagesClass(
            ClusterView cluster,
            ClusterPlan plan,
            Collection<DataImportCron> crons,
            WorkaroundOptions options,
            Map<String, SnapshotClassToCreate> toCreate,
            List<String> header) {
        Optional<StorageClass> chosen = options.storageClass().isPresent()
                ? Optional.of(cluster.storageClass(options.storageClass().get()).orElseThrow(() -> new IllegalArgumentException(
                "StorageClass " + options.storageClass().get() + " (--storage-class) is not in the input")))
                : DefaultStorageClass.resolve(cluster);
        if (chosen.isEmpty()) {
            header.add("Steps 1, 4, 5: the input has no default (virt) StorageClass and no --storage-class was given: "
                    + "no images-only class to make");
            return ImagesClass.NONE;
        }
        StorageClass original = chosen.get();
        String originalName = original.getMetadata().getName();
        if (BootSourceClasses.isImagesOnly(original)) {
            header.add("Steps 1, 4, 5: StorageClass " + originalName + " is itself an images-only class; name the class "
                    + "VM disks use with --storage-class");
            return ImagesClass.NONE;
        }
        ProfileDecision originalDecision = plan.storageProfiles().stream()
                .filter(p -> p.storageClassName().equals(originalName)).findFirst().orElseThrow();
        if (!originalDecision.effectiveReadWriteOnce()) {
            header.add("Steps 1, 4, 5 are not needed: golden images of StorageClass " + originalName
                    + " are not imported ReadWriteOnce (" + Keys.USE_RWO_FOR_BOOT_SOURCES + " is "
                    + Optional.ofNullable(originalDecision.annotationsAfter().get(Keys.USE_RWO_FOR_BOOT_SOURCES))
                    .map(v -> "\"" + v + "\"").orElse("absent for provisioner key " + originalDecision.provisionerKey()) + ")");
            return ImagesClass.NONE;
        }

        List<Manifest> manifests = new ArrayList<>();
        Optional<StorageClass> existingCopy = BootSourceClasses.imagesOnlyCopyOf(cluster, original);
        StorageClass copy;
        if (existingCopy.isPresent()) {
            copy = existingCopy.get();
            header.add("Step 1: StorageClass " + copy.getMetadata().getName() + ", an images-only copy of " + originalName
                    + ", exists already and is used");
        } else {
            String copyName = originalName + BootSourcePolicy.IMAGES_SUFFIX;
            if (cluster.storageClass(copyName).isPresent()) {
                header.add("Steps 1, 4, 5: StorageClass " + copyName + " exists but is not a copy of " + originalName
                        + " (another provisioner); not replaced, so no images-only class is written");
                return ImagesClass.NONE;
            }
            copy = imagesOnlyCopy(original, copyName);
            manifests.add(new Manifest(WorkaroundStep.IMAGES_STORAGE_CLASS, List.of(
                    "step 1 of the manual GCP workaround: StorageClass " + copyName + ", a copy of " + originalName
                            + " (same provisioner and parameters) for golden images only.",
                    "It is not a default class: VM disks keep " + originalName + ". Needed by a CDI that ignores the annotations above;",
                    "with a CDI that reads them, the annotations on " + originalName + " alone are enough."),
                    ordered(KubernetesObjects.MAPPER.valueToTree(copy))));
        }
        String copyName = copy.getMetadata().getName();

        List<SnapshotClassToCreate> planned = new ArrayList<>(toCreate.values());
        ProfileDecision copyDecision = policy.decide(withCopy(cluster, copy, planned), copy);
        copyDecision.snapshotClassToCreate().ifPresent(create -> toCreate.putIfAbsent(create.name(), create));
        manifests.add(imagesProfileManifest(copyDecision));

        List<DataImportCron> sorted = crons.stream()
                .sorted(Comparator.comparing((DataImportCron c) -> c.getMetadata().getNamespace())
                        .thenComparing(c -> c.getMetadata().getName()))
                .toList();
        List<DataImportCron> retarget = new ArrayList<>();
        List<String> others = new ArrayList<>();
        for (DataImportCron cron : sorted) {
            Optional<String> resolved = DefaultStorageClass.resolve(cluster, cron.templateStorageClassName())
                    .map(sc -> sc.getMetadata().getName())
                    .or(cron::templateStorageClassName);
            if (resolved.filter(name -> name.equals(originalName) || name.equals(copyName)).isPresent()) {
                retarget.add(cron);
            } else {
                others.add(cron.getMetadata().getNamespace() + "/" + cron.getMetadata().getName()
                        + " (" + resolved.orElse("no storage class") + ")");
            }
        }
        if (retarget.isEmpty()) {
            header.add("Step 5: no DataImportCron in the input imports onto " + originalName + " or " + copyName
                    + (others.isEmpty() ? " (the input has none: add `kubectl get dataimportcrons -A -o yaml`)"
                    : "; others: " + String.join(", ", others)));
        } else {
            manifests.add(templatesManifest(retarget, others, copyName, copyDecision, options));
        }
        return new ImagesClass(manifests, Optional.of(copy), retarget);
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

    /** The state as it will be: the images-only class and the planned snapshot classes exist. */
    private static ClusterView withCopy(ClusterView cluster, StorageClass copy, List<SnapshotClassToCreate> planned) {
        List<StorageClass> storageClasses = new ArrayList<>(cluster.storageClasses());
        if (cluster.storageClass(copy.getMetadata().getName()).isEmpty()) {
            storageClasses.add(copy);
        }
        List<VolumeSnapshotClass> snapshotClasses = new ArrayList<>(cluster.volumeSnapshotClasses());
        planned.forEach(create -> snapshotClasses.add(create.toVolumeSnapshotClass()));
        List<StorageProfile> profiles = storageClasses.stream()
                .map(sc -> cluster.storageProfile(sc.getMetadata().getName()))
                .flatMap(Optional::stream)
                .toList();
        return new ClusterSnapshot(storageClasses, snapshotClasses, profiles, List.of(), List.of(), List.of());
    }

    private static Manifest imagesProfileManifest(ProfileDecision decision) {
        String name = decision.storageClassName();
        ObjectNode annotations = NODES.objectNode();
        new TreeMap<>(decision.annotationsAfter()).forEach((key, value) -> {
            if (POLICY_KEYS.contains(key)) {
                annotations.put(key, value);
            }
        });
        ObjectNode document = NODES.objectNode()
                .put("apiVersion", "cdi.kubevirt.io/v1beta1")
                .put("kind", "StorageProfile");
        document.putObject("metadata").put("name", name).set("annotations", annotations);
        List<String> comments = new ArrayList<>();
        comments.add("step 4 of the manual GCP workaround: the StorageProfile of " + name + ". CDI creates it when the class appears; if kubectl");
        comments.add("reports that it already exists, apply this file again. Unlike the manual workaround, claimPropertySets are not filtered:");
        comments.add("ReadWriteMany stays in the profile (golden images get ReadWriteOnce from the annotation, and from the");
        comments.add("templates below on a CDI that ignores it).");
        Optional<String> snapshotClass = decision.effectiveSnapshotClass();
        if (snapshotClass.isPresent()) {
            comments.add("spec.snapshotClass is how a CDI that ignores the annotations picks " + snapshotClass.get()
                    + " for golden snapshots;");
            comments.add("it is safe here because only golden images use " + name + ".");
            document.putObject("spec").put("snapshotClass", snapshotClass.get());
        } else {
            comments.add("No boot-source snapshot class: " + decision.snapshotClassChoice().reason() + ".");
        }
        decision.warnings().stream()
                .filter(warning -> !warning.startsWith("StorageProfile " + name + " does not exist yet"))
                .forEach(warning -> comments.add("warning: " + warning));
        return new Manifest(WorkaroundStep.IMAGES_PROFILE, comments, document);
    }

    private static Manifest templatesManifest(
            List<DataImportCron> retarget,
            List<String> others,
            String copyName,
            ProfileDecision copyDecision,
            WorkaroundOptions options) {
        ObjectNode document = NODES.objectNode()
                .put("apiVersion", HYPERCONVERGED_API_VERSION)
                .put("kind", "HyperConverged");
        document.putObject("metadata")
                .put("name", options.hyperConvergedName())
                .put("namespace", options.hyperConvergedNamespace());
        var templates = document.putObject("spec").putArray("dataImportCronTemplates");
        retarget.forEach(cron -> templates.add(template(cron, copyName, copyDecision.effectiveReadWriteOnce())));

        String where = "-n " + options.hyperConvergedNamespace() + " " + options.hyperConvergedName();
        List<String> comments = new ArrayList<>();
        comments.add("step 5 of the manual GCP workaround: the DataImportCron templates, pointed at " + copyName
                + (copyDecision.effectiveReadWriteOnce() ? " and ReadWriteOnce" : "") + ". Each entry is a DataImportCron of the");
        comments.add("input with only spec.template.spec.storage changed; HyperConverged replaces a default template with a listed");
        comments.add("one of the same name. accessModes: [ReadWriteOnce] is what BootSource's webhook adds to golden-image");
        comments.add("DataVolumes: it makes imports ReadWriteOnce on a CDI that ignores the annotation.");
        comments.add("Applying this replaces spec.dataImportCronTemplates as a whole: if the HyperConverged resource lists");
        comments.add("templates of its own (kubectl get hyperconverged " + where + " -o yaml), add them here first,");
        comments.add("or edit it by hand instead: kubectl edit hyperconverged " + where);
        if (retarget.stream().map(c -> c.getMetadata().getNamespace()).distinct().count() > 1) {
            comments.add("The DataImportCrons listed come from several namespaces; HyperConverged creates its templates in one.");
        }
        if (!others.isEmpty()) {
            comments.add("Not listed, they import onto other classes: " + String.join(", ", others));
        }
        return new Manifest(WorkaroundStep.DATA_IMPORT_CRON_TEMPLATES, comments, document);
    }

    private static ObjectNode template(DataImportCron cron, String copyName, boolean readWriteOnce) {
        ObjectNode entry = NODES.objectNode();
        ObjectNode metadata = entry.putObject("metadata").put("name", cron.getMetadata().getName());
        Map<String, String> annotations = kept(cron.getMetadata().getAnnotations(), RUNTIME_ANNOTATION_PREFIXES);
        if (!annotations.isEmpty()) {
            ObjectNode node = metadata.putObject("annotations");
            annotations.forEach(node::put);
        }
        Map<String, String> labels = kept(cron.getMetadata().getLabels(), RUNTIME_LABEL_PREFIXES);
        if (!labels.isEmpty()) {
            ObjectNode node = metadata.putObject("labels");
            labels.forEach(node::put);
        }
        JsonNode spec = cron.getSpec() == null ? NODES.objectNode() : KubernetesObjects.MAPPER.valueToTree(cron.getSpec());
        ObjectNode specNode = entry.putObject("spec");
        spec.fields().forEachRemaining(field -> {
            if (!"template".equals(field.getKey())) {
                specNode.set(field.getKey(), field.getValue());
            }
        });
        ObjectNode template = spec.path("template").isObject()
                ? ((ObjectNode) spec.get("template")).deepCopy() : NODES.objectNode();
        ObjectNode templateSpec = template.path("spec").isObject()
                ? (ObjectNode) template.get("spec") : template.putObject("spec");
        ObjectNode storage = templateSpec.path("storage").isObject() ? (ObjectNode) templateSpec.get("storage")
                : templateSpec.path("pvc").isObject() ? (ObjectNode) templateSpec.get("pvc")
                : templateSpec.putObject("storage");
        storage.put("storageClassName", copyName);
        if (readWriteOnce) {
            storage.putArray("accessModes").add(Keys.READ_WRITE_ONCE);
        }
        specNode.set("template", template);
        return entry;
    }

    private static Map<String, String> kept(Map<String, String> values, List<String> droppedPrefixes) {
        Map<String, String> kept = new TreeMap<>();
        if (values != null) {
            values.forEach((key, value) -> {
                if (droppedPrefixes.stream().noneMatch(key::startsWith)) {
                    kept.put(key, value);
                }
            });
        }
        return kept;
    }

    // ---- Step 6 ------------------------------------------------------------------------------------------

    private List<String> goldenSnapshotCommands(ClusterView cluster) {
        BootSourcePolicy everyStale = new BootSourcePolicy(policy.catalog(),
                policy.options().withGoldenSnapshots(GoldenSnapshotMode.AUTO, Integer.MAX_VALUE));
        List<GoldenSnapshotDecision> decisions = new GoldenSnapshotPolicy(everyStale).decide(cluster);
        List<GoldenSnapshotDecision> older = decisions.stream()
                .filter(d -> d.op() != GoldenSnapshotDecision.Op.KEEP && !inUse(cluster, d)).toList();
        decisions = decisions.stream().filter(d -> !older.contains(d)).toList();
        List<GoldenSnapshotDecision> recreate = decisions.stream()
                .filter(d -> d.op() == GoldenSnapshotDecision.Op.RECREATE).toList();
        List<GoldenSnapshotDecision> blocked = decisions.stream()
                .filter(d -> d.op() == GoldenSnapshotDecision.Op.BLOCKED).toList();
        List<String> lines = new ArrayList<>();
        if (recreate.isEmpty() && blocked.isEmpty()) {
            lines.add("step 6 of the manual GCP workaround: no golden snapshot in the input was taken with the wrong class; nothing to re-import.");
        } else {
            lines.add("step 6 of the manual GCP workaround: once the documents above are applied and the DataImportCrons show the new storage class,");
            lines.add("delete the golden snapshots taken with the wrong class so CDI re-imports them. One at a time: wait for the");
            lines.add("cron's new snapshot to be ready before the next (kubectl get volumesnapshot -n NAMESPACE -l "
                    + Keys.DATA_IMPORT_CRON_LABEL + "=CRON -w).");
            for (GoldenSnapshotDecision d : recreate) {
                lines.add("  kubectl delete volumesnapshot -n " + d.namespace() + " " + d.name() + "   # "
                        + d.currentClass().orElse("default class") + " -> " + d.desiredClass().orElse("?")
                        + ", DataImportCron " + d.dataImportCron());
            }
            for (GoldenSnapshotDecision d : blocked) {
                lines.add("  not yet " + d.namespace() + "/" + d.name() + ": " + d.reason());
            }
        }
        if (!older.isEmpty()) {
            lines.add("Not listed: " + older.size() + " older golden snapshot(s) CDI no longer uses (not its DataImportCron's "
                    + "last import); CDI deletes them itself as new imports arrive.");
        }
        lines.add("step 7 of the manual GCP workaround: then check with `bootsource verify` on a fresh dump, and restore a golden image many times");
        lines.add("at once with `bootsource restore-test --image NAMESPACE/DATASOURCE --count 10`.");
        return lines;
    }

    /**
     * Whether CDI still uses the snapshot: it is its DataImportCron's last import ({@code status.lastImportedPVC},
     * which names the snapshot too), or that status is unknown.
     */
    private static boolean inUse(ClusterView cluster, GoldenSnapshotDecision decision) {
        Optional<DataImportCron> cron = cluster.dataImportCron(decision.namespace(), decision.dataImportCron());
        Object last = cron.map(DataImportCron::getStatus).map(status -> status.getAdditionalProperties().get("lastImportedPVC"))
                .orElse(null);
        if (last instanceof Map<?, ?> reference && reference.get("name") instanceof String name) {
            return name.equals(decision.name());
        }
        return true;
    }

    /** apiVersion, kind and metadata (name first) first, the rest as it came. */
    private static ObjectNode ordered(ObjectNode node) {
        ObjectNode result = NODES.objectNode();
        for (String first : List.of("apiVersion", "kind", "metadata")) {
            if (node.has(first)) {
                result.set(first, node.get(first));
            }
        }
        if (node.path("metadata").isObject()) {
            ObjectNode metadata = (ObjectNode) node.get("metadata");
            ObjectNode sorted = result.putObject("metadata");
            for (String first : List.of("name", "namespace")) {
                if (metadata.has(first)) {
                    sorted.set(first, metadata.get(first));
                }
            }
            metadata.fields().forEachRemaining(field -> sorted.set(field.getKey(), field.getValue()));
        }
        node.fields().forEachRemaining(field -> {
            if (!result.has(field.getKey()) && !field.getValue().isNull()) {
                result.set(field.getKey(), field.getValue());
            }
        });
        return result;
    }
}
