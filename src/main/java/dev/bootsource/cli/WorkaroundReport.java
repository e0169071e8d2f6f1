package dev.bootsource.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bootsource.cluster.KubernetesObjects;
import dev.bootsource.model.HyperConverged;
import dev.bootsource.model.Keys;
import dev.bootsource.policy.AnnotationChange;
import dev.bootsource.policy.GoldenSnapshotDecision;
import dev.bootsource.policy.ProfileDecision;
import dev.bootsource.policy.SnapshotClassToCreate;
import dev.bootsource.policy.workaround.GoldenSnapshotCleanup;
import dev.bootsource.policy.workaround.WorkaroundDocument;
import dev.bootsource.policy.workaround.WorkaroundDocument.CronElsewhere;
import dev.bootsource.policy.workaround.WorkaroundNote;
import dev.bootsource.policy.workaround.WorkaroundPlan;
import dev.bootsource.policy.workaround.WorkaroundStep;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * How a {@link WorkaroundPlan} is shown: multi-document YAML for {@code kubectl apply -f}, every document with
 * what it is for in comments, the Step 2 and Step 6 commands as comments. Every string stays a string
 * ({@link ManifestYaml}).
 */
final class WorkaroundReport {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private WorkaroundReport() {
    }

    /** The whole output of {@code workaround}, for the input described by {@code source}. */
    static String yaml(WorkaroundPlan plan, String source) {
        WorkaroundManifests workaround = manifests(plan);
        StringBuilder out = new StringBuilder();
        comment(out, "BootSource workaround for a cluster that does not run the BootSource operator (steps 1-6 of the manual GCP workaround),");
        comment(out, "made from " + source + ".");
        comment(out, "Review, then apply the documents in order: kubectl apply -f THIS-FILE");
        comment(out, "Documents that name an existing object change only the fields they show.");
        if (!workaround.header().isEmpty()) {
            comment(out, "");
            comment(out, "Before you apply:");
            workaround.header().forEach(line -> comment(out, line));
        }
        if (workaround.manifests().isEmpty()) {
            comment(out, "");
            comment(out, "Nothing to apply: the cluster already has what the policy calls for.");
        }
        for (Manifest manifest : workaround.manifests()) {
            out.append("---\n");
            manifest.comments().forEach(line -> comment(out, line));
            try {
                out.append(ManifestYaml.MAPPER.writeValueAsString(manifest.document()));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a JSON tree always serialises", e);
            }
        }
        out.append('\n');
        workaround.closing().forEach(line -> comment(out, line));
        return out.toString();
    }

    /** The plan in words and YAML trees: header lines, documents with their comments, closing lines. */
    static WorkaroundManifests manifests(WorkaroundPlan plan) {
        List<String> header = new ArrayList<>();
        plan.notes().forEach(note -> header.addAll(lines(note)));
        List<Manifest> manifests = plan.documents().stream().map(WorkaroundReport::manifest).toList();
        return new WorkaroundManifests(header, manifests, closing(plan.cleanup()));
    }

    private static void comment(StringBuilder out, String line) {
        out.append(line.isEmpty() ? "#" : "# " + line).append('\n');
    }

    // ---- notes ---------------------------------------------------------------------------------------------

    private static List<String> lines(WorkaroundNote note) {
        String annotate = "kubectl annotate volumesnapshotclass ";
        if (note instanceof WorkaroundNote.ImagesClassIsDefault n) {
            return List.of(
                    "Step 2: VolumeSnapshotClass " + n.snapshotClass() + " is a boot-source class and must not be the default:",
                    "  " + annotate + n.snapshotClass() + " " + Keys.DEFAULT_SNAPSHOT_CLASS + "=false --overwrite");
        }
        if (note instanceof WorkaroundNote.RegularClassIsDefault n) {
            return List.of(
                    "Step 2: VolumeSnapshotClass " + n.snapshotClass() + " is the default of driver " + n.driver()
                            + ", so VM snapshots keep it; nothing to do");
        }
        if (note instanceof WorkaroundNote.SeveralDefaults n) {
            return List.of(
                    "Step 2: " + String.join(", ", n.snapshotClasses()) + " are all the default of driver " + n.driver()
                            + "; keep one (" + annotate + "NAME " + Keys.DEFAULT_SNAPSHOT_CLASS + "=false --overwrite)");
        }
        if (note instanceof WorkaroundNote.NoDefault n && n.regular().size() == 1) {
            return List.of(
                    "Step 2: driver " + n.driver() + " has no default VolumeSnapshotClass; make the regular one the "
                            + "default so VM snapshots keep it:",
                    "  " + annotate + n.regular().get(0) + " " + Keys.DEFAULT_SNAPSHOT_CLASS + "=true --overwrite");
        }
        if (note instanceof WorkaroundNote.NoDefault n) {
            return List.of(
                    "Step 2: driver " + n.driver() + " has no default VolumeSnapshotClass; make one of " + String.join(", ", n.regular())
                            + " the default: " + annotate + "NAME " + Keys.DEFAULT_SNAPSHOT_CLASS + "=true --overwrite");
        }
        if (note instanceof WorkaroundNote.NoRegularClass n) {
            return List.of(
                    "Step 2: driver " + n.driver() + " has no regular VolumeSnapshotClass (one without the boot-source "
                            + "parameters); create one and make it the default so VM snapshots do not get an images class");
        }
        if (note instanceof WorkaroundNote.SnapshotClassesExist n) {
            return List.of("Step 3: no VolumeSnapshotClass to create: "
                    + (n.used().isEmpty() ? "no StorageClass calls for a boot-source snapshot class"
                    : "the boot-source class(es) " + String.join(", ", n.used()) + " exist already"));
        }
        if (note instanceof WorkaroundNote.ProfileNotInInput n) {
            return List.of(
                    "StorageProfile " + n.storageClass() + " is not in the input; CDI creates one per "
                            + "StorageClass: run workaround again with it to get its annotations");
        }
        if (note instanceof WorkaroundNote.NoClassToCopy n) {
            return List.of(
                    "Steps 1, 4, 5: the input has no default (virt) StorageClass and no --storage-class was given: "
                            + "no images-only class to make");
        }
        if (note instanceof WorkaroundNote.ClassIsImagesOnly n) {
            return List.of(
                    "Steps 1, 4, 5: StorageClass " + n.storageClass() + " is itself an images-only class; name the class "
                            + "VM disks use with --storage-class");
        }
        if (note instanceof WorkaroundNote.NotReadWriteOnce n) {
            return List.of(
                    "Steps 1, 4, 5 are not needed: golden images of StorageClass " + n.storageClass()
                            + " are not imported ReadWriteOnce (" + Keys.USE_RWO_FOR_BOOT_SOURCES + " is "
                            + n.readWriteOnce().map(v -> "\"" + v + "\"").orElse("absent for provisioner key " + n.provisionerKey()) + ")");
        }
        if (note instanceof WorkaroundNote.CopyExists n) {
            return List.of(
                    "Step 1: StorageClass " + n.copy() + ", an images-only copy of " + n.original() + ", exists already and is used");
        }
        if (note instanceof WorkaroundNote.CopyNameTaken n) {
            return List.of(
                    "Steps 1, 4, 5: StorageClass " + n.copyName() + " exists but is not a copy of " + n.original()
                            + " (another provisioner); not replaced, so no images-only class is written");
        }
        if (note instanceof WorkaroundNote.ImagesProfileDone n) {
            return List.of(
                    "Step 4: StorageProfile " + n.imagesClass()
                            + n.snapshotClass().map(vsc -> " names " + vsc + " as its snapshot class").orElse(" exists")
                            + "; done");
        }
        if (note instanceof WorkaroundNote.NoCronOnClass n) {
            return List.of(
                    "Step 5: no DataImportCron in the input imports onto " + n.original() + " or " + n.copy()
                            + (n.others().isEmpty() ? " (the input has none: add `kubectl get dataimportcrons -A -o yaml`)"
                            : "; others: " + describe(n.others())));
        }
        if (note instanceof WorkaroundNote.TemplatesDone n) {
            return List.of(
                    "Step 5: the DataImportCrons " + String.join(", ", n.crons()) + " import onto " + n.imagesClass()
                            + " already; done");
        }
        throw new IllegalStateException("a note without words: " + note);
    }

    private static String describe(List<CronElsewhere> crons) {
        return String.join(", ", crons.stream()
                .map(c -> c.namespace() + "/" + c.name() + " (" + c.storageClass().orElse("no storage class") + ")").toList());
    }

    // ---- documents -----------------------------------------------------------------------------------------

    private static Manifest manifest(WorkaroundDocument document) {
        if (document instanceof WorkaroundDocument.ImagesSnapshotClass d) {
            return snapshotClass(d);
        }
        if (document instanceof WorkaroundDocument.ProfileAnnotations d) {
            return profileAnnotations(d.profile());
        }
        if (document instanceof WorkaroundDocument.ImagesStorageClass d) {
            return new Manifest(d.step(), List.of(
                    "step 1 of the manual GCP workaround: StorageClass " + d.storageClass().getMetadata().getName() + ", a copy of "
                            + d.original() + " (same provisioner and parameters) for golden images only.",
                    "It is not a default class: VM disks keep " + d.original() + ". Needed by a CDI that ignores the annotations above;",
                    "with a CDI that reads them, the annotations on " + d.original() + " alone are enough."),
                    ordered(KubernetesObjects.MAPPER.valueToTree(d.storageClass())));
        }
        if (document instanceof WorkaroundDocument.ImagesProfile d) {
            return imagesProfile(d);
        }
        if (document instanceof WorkaroundDocument.CronTemplates d) {
            return templates(d);
        }
        throw new IllegalStateException("a document without a shape: " + document);
    }

    private static Manifest snapshotClass(WorkaroundDocument.ImagesSnapshotClass d) {
        SnapshotClassToCreate create = d.create();
        List<String> comments = List.of(
                "step 3 of the manual GCP workaround: VolumeSnapshotClass " + create.name() + " for driver " + create.driver() + ", with "
                        + new TreeMap<>(create.parameters()) + ": golden images are snapshotted with it, and such snapshots",
                "restore into ReadWriteMany disks without the 6-restores-an-hour limit. Not the default: VM snapshots keep theirs.",
                "Used by StorageClass(es): " + String.join(", ", d.usedBy()) + ". The operator would create the same class.");
        return new Manifest(d.step(), comments, ordered(KubernetesObjects.MAPPER.valueToTree(d.snapshotClass())));
    }

    private static Manifest profileAnnotations(ProfileDecision profile) {
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

    private static Manifest imagesProfile(WorkaroundDocument.ImagesProfile d) {
        ProfileDecision decision = d.decision();
        String name = decision.storageClassName();
        List<String> comments = new ArrayList<>();
        comments.add("step 4 of the manual GCP workaround: the StorageProfile of " + name + ". CDI creates it when the class appears; if kubectl");
        comments.add("reports that it already exists, apply this file again. Unlike the manual workaround, claimPropertySets are not filtered:");
        comments.add("ReadWriteMany stays in the profile (golden images get ReadWriteOnce from the annotation, and from the");
        comments.add("templates below on a CDI that ignores it).");
        if (d.snapshotClass().isPresent()) {
            comments.add("spec.snapshotClass is how a CDI that ignores the annotations picks " + d.snapshotClass().get()
                    + " for golden snapshots;");
            comments.add("it is safe here because only golden images use " + name + ".");
        } else {
            comments.add("No boot-source snapshot class: " + decision.snapshotClassChoice().reason() + ".");
        }
        decision.warnings().stream()
                .filter(warning -> !warning.startsWith("StorageProfile " + name + " does not exist yet"))
                .forEach(warning -> comments.add("warning: " + warning));
        ObjectNode document = ordered(KubernetesObjects.MAPPER.valueToTree(d.profile()));
        return new Manifest(d.step(), comments, document);
    }

    private static Manifest templates(WorkaroundDocument.CronTemplates d) {
        HyperConverged hyperConverged = d.hyperConverged();
        ObjectNode document = ordered(KubernetesObjects.MAPPER.valueToTree(hyperConverged));
        JsonNode templates = document.path("spec").path("dataImportCronTemplates");
        ObjectNode spec = document.putObject("spec");
        var list = spec.putArray("dataImportCronTemplates");
        templates.forEach(template -> list.add(template((ObjectNode) template)));

        String where = "-n " + hyperConverged.getMetadata().getNamespace() + " " + hyperConverged.getMetadata().getName();
        List<String> comments = new ArrayList<>();
        comments.add("step 5 of the manual GCP workaround: the DataImportCron templates, pointed at " + d.imagesClass()
                + (d.readWriteOnce() ? " and ReadWriteOnce" : "") + ". Each entry is a DataImportCron of the");
        comments.add("input with only spec.template.spec.storage changed; HyperConverged replaces a default template with a listed");
        comments.add("one of the same name. accessModes: [ReadWriteOnce] is what BootSource's webhook adds to golden-image");
        comments.add("DataVolumes: it makes imports ReadWriteOnce on a CDI that ignores the annotation.");
        comments.add("Applying this replaces spec.dataImportCronTemplates as a whole: if the HyperConverged resource lists");
        comments.add("templates of its own (kubectl get hyperconverged " + where + " -o yaml), add them here first,");
        comments.add("or edit it by hand instead: kubectl edit hyperconverged " + where);
        if (d.namespaces().size() > 1) {
            comments.add("The DataImportCrons listed come from several namespaces; HyperConverged creates its templates in one.");
        }
        if (!d.others().isEmpty()) {
            comments.add("Not listed, they import onto other classes: " + describe(d.others()));
        }
        return new Manifest(d.step(), comments, document);
    }

    /** A template entry: metadata (name first), then the spec with its template last. */
    private static ObjectNode template(ObjectNode entry) {
        ObjectNode result = NODES.objectNode();
        result.set("metadata", nameFirst(entry.path("metadata")));
        ObjectNode spec = result.putObject("spec");
        JsonNode original = entry.path("spec");
        original.fields().forEachRemaining(field -> {
            if (!"template".equals(field.getKey())) {
                spec.set(field.getKey(), field.getValue());
            }
        });
        if (original.has("template")) {
            spec.set("template", original.get("template"));
        }
        return result;
    }

    // ---- Step 6 ------------------------------------------------------------------------------------------

    private static List<String> closing(GoldenSnapshotCleanup cleanup) {
        List<String> lines = new ArrayList<>();
        if (cleanup.nothingToReimport()) {
            lines.add("step 6 of the manual GCP workaround: no golden snapshot in the input was taken with the wrong class; nothing to re-import.");
        } else {
            lines.add("step 6 of the manual GCP workaround: once the documents above are applied and the DataImportCrons show the new storage class,");
            lines.add("delete the golden snapshots taken with the wrong class so CDI re-imports them. One at a time: wait for the");
            lines.add("cron's new snapshot to be ready before the next (kubectl get volumesnapshot -n NAMESPACE -l "
                    + Keys.DATA_IMPORT_CRON_LABEL + "=CRON -w).");
            for (GoldenSnapshotDecision d : cleanup.delete()) {
                lines.add("  kubectl delete volumesnapshot -n " + d.namespace() + " " + d.name() + "   # "
                        + d.currentClass().orElse("default class") + " -> " + d.desiredClass().orElse("?")
                        + ", DataImportCron " + d.dataImportCron());
            }
            for (GoldenSnapshotDecision d : cleanup.blocked()) {
                lines.add("  not yet " + d.namespace() + "/" + d.name() + ": " + d.reason());
            }
        }
        if (cleanup.older() > 0) {
            lines.add("Not listed: " + cleanup.older() + " older golden snapshot(s) CDI no longer uses (not its DataImportCron's "
                    + "last import); CDI deletes them itself as new imports arrive.");
        }
        lines.add("step 7 of the manual GCP workaround: then check with `bootsource verify` on a fresh dump, and restore a golden image many times");
        lines.add("at once with `bootsource restore-test --image NAMESPACE/DATASOURCE --count 10`.");
        return lines;
    }

    // ---- YAML shape --------------------------------------------------------------------------------------

    /** apiVersion, kind and metadata (name first) first, the rest as it came; nulls left out. */
    private static ObjectNode ordered(ObjectNode node) {
        ObjectNode result = NODES.objectNode();
        for (String first : List.of("apiVersion", "kind")) {
            if (node.has(first)) {
                result.set(first, node.get(first));
            }
        }
        if (node.path("metadata").isObject()) {
            result.set("metadata", nameFirst(node.get("metadata")));
        }
        node.fields().forEachRemaining(field -> {
            if (!result.has(field.getKey()) && !field.getValue().isNull()) {
                result.set(field.getKey(), field.getValue());
            }
        });
        return result;
    }

    private static ObjectNode nameFirst(JsonNode metadata) {
        ObjectNode sorted = NODES.objectNode();
        for (String first : List.of("name", "namespace")) {
            if (metadata.has(first)) {
                sorted.set(first, metadata.get(first));
            }
        }
        metadata.fields().forEachRemaining(field -> sorted.set(field.getKey(), field.getValue()));
        return sorted;
    }
}
