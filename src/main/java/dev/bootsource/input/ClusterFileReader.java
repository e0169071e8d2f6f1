package dev.bootsource.input;

import dev.bootsource.cluster.ClusterSnapshot;
import dev.bootsource.cluster.KubernetesObjects;
import dev.bootsource.cluster.ClusterInputException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.bootsource.model.Cdi;
import dev.bootsource.model.DataImportCron;
import dev.bootsource.model.DataVolume;
import dev.bootsource.model.StorageProfile;
import dev.bootsource.model.VolumeSnapshot;
import dev.bootsource.model.VolumeSnapshotClass;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.storage.StorageClass;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * Builds a {@link ClusterSnapshot} from files of Kubernetes objects. Kinds BootSource does not use
 * are skipped; an object it uses must have a name (and its fields the right types), or the whole read
 * fails with a message naming the file and the object, so nothing is silently lost.
 */
public final class ClusterFileReader {

    private static final String STDIN = "-";
    /** Standard input is a stream: a second "-" in one command would silently read nothing. */
    private static final AtomicReference<InputStream> STDIN_READ = new AtomicReference<>();

    /** The kinds BootSource reads, by API group and kind. */
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "storage.k8s.io/StorageClass", StorageClass.class,
            "snapshot.storage.k8s.io/VolumeSnapshotClass", VolumeSnapshotClass.class,
            "snapshot.storage.k8s.io/VolumeSnapshot", VolumeSnapshot.class,
            "cdi.kubevirt.io/StorageProfile", StorageProfile.class,
            "cdi.kubevirt.io/DataImportCron", DataImportCron.class,
            "cdi.kubevirt.io/CDI", Cdi.class,
            "cdi.kubevirt.io/DataVolume", DataVolume.class,
            "cdi.kubevirt.io/DataSource", GenericKubernetesResource.class,
            "hco.kubevirt.io/HyperConverged", GenericKubernetesResource.class,
            "/PersistentVolumeClaim", PersistentVolumeClaim.class);

    /** The kinds read, in the order a summary names them. */
    public static final List<String> KIND_NAMES = List.of("StorageClass", "VolumeSnapshotClass", "StorageProfile",
            "DataImportCron", "VolumeSnapshot", "PersistentVolumeClaim", "DataVolume", "DataSource", "CDI",
            "HyperConverged");

    private final List<StorageClass> storageClasses = new ArrayList<>();
    private final List<VolumeSnapshotClass> snapshotClasses = new ArrayList<>();
    private final List<StorageProfile> profiles = new ArrayList<>();
    private final List<PersistentVolumeClaim> claims = new ArrayList<>();
    private final List<DataImportCron> crons = new ArrayList<>();
    private final List<VolumeSnapshot> snapshots = new ArrayList<>();
    private final List<Cdi> cdis = new ArrayList<>();
    private final List<DataVolume> dataVolumes = new ArrayList<>();
    private final List<GenericKubernetesResource> dataSources = new ArrayList<>();
    private final List<GenericKubernetesResource> hyperConvergeds = new ArrayList<>();
    /** Where each object was read, by kind and namespaced name, to report duplicates with both sources. */
    private final Map<String, Seen> seen = new HashMap<>();
    private final Map<String, Integer> counts = new LinkedHashMap<>();
    private final List<String> warnings = new ArrayList<>();

    /** Whether the same object twice is reported (files from the command line) or the later one wins (states built in code). */
    private final boolean reportDuplicates;

    private record Seen(String where, JsonNode object) {
    }

    /** A reader where a later object replaces an earlier one of the same kind and name, for states built in code. */
    public ClusterFileReader() {
        this(false);
    }

    private ClusterFileReader(boolean reportDuplicates) {
        this.reportDuplicates = reportDuplicates;
    }

    public static ClusterSnapshot read(List<Path> files) {
        return readAll(files).snapshot();
    }

    /** A reader that has read all of {@code files}, for its snapshot, counts and warnings. */
    public static ClusterFileReader readAll(List<Path> files) {
        ClusterFileReader reader = new ClusterFileReader(true);
        for (Path file : files) {
            reader.add(readText(file), file.toString());
        }
        return reader;
    }

    /** Reads a file's text; {@code -} is standard input. */
    public static String readText(Path file) {
        try {
            if (STDIN.equals(file.toString())) {
                InputStream stdin = System.in;
                if (STDIN_READ.getAndSet(stdin) == stdin) {
                    throw new ClusterInputException("-: standard input can be read only once; name a file instead");
                }
                try (InputStream in = stdin) {
                    return KubernetesObjects.decode(in.readAllBytes(), "-");
                }
            }
            if (Files.isDirectory(file)) {
                throw new ClusterInputException(file + ": is a directory; name the files inside it");
            }
            return KubernetesObjects.decode(Files.readAllBytes(file), file.toString());
        } catch (NoSuchFileException e) {
            throw new ClusterInputException(file + ": no such file");
        } catch (IOException e) {
            throw new ClusterInputException(file + ": cannot read: " + e.getMessage());
        }
    }

    public void add(String text, String source) {
        for (KubernetesObjects.Located located : KubernetesObjects.locate(text, source)) {
            addObject(located.object(), source, located.where());
        }
    }

    /** How many objects of each kind were read (every kind listed, zero included), in {@link #KIND_NAMES} order. */
    public Map<String, Integer> counts() {
        Map<String, Integer> all = new LinkedHashMap<>();
        KIND_NAMES.forEach(kind -> all.put(kind, counts.getOrDefault(kind, 0)));
        return all;
    }

    /** Things worth knowing that did not stop the read, e.g. the same object twice with the same content. */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    public ClusterSnapshot snapshot() {
        return ClusterSnapshot.builder()
                .storageClasses(storageClasses)
                .volumeSnapshotClasses(snapshotClasses)
                .storageProfiles(profiles)
                .persistentVolumeClaims(claims)
                .dataImportCrons(crons)
                .volumeSnapshots(snapshots)
                .cdis(cdis)
                .dataVolumes(dataVolumes)
                .dataSources(dataSources)
                .hyperConvergeds(hyperConvergeds)
                .build();
    }

    private void addObject(JsonNode object, String source, String where) {
        String kind = object.path("kind").asText("");
        if (kind.isEmpty()) {
            throw new ClusterInputException(source + ": " + KubernetesObjects.describe(object) + ": object has no kind");
        }
        String apiVersion = object.path("apiVersion").asText("");
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        Class<? extends HasMetadata> type = KINDS.get(group + "/" + kind);
        if (type == null) {
            return;
        }
        if (object.path("metadata").path("name").asText("").isBlank()) {
            throw new ClusterInputException(source + ": " + KubernetesObjects.describe(object) + ": object has no metadata.name");
        }
        HasMetadata bound;
        try {
            bound = KubernetesObjects.MAPPER.treeToValue(object, type);
        } catch (IOException | IllegalArgumentException e) {
            throw new ClusterInputException(source + ": " + KubernetesObjects.describe(object) + ": " + bindingProblem(e));
        }
        String namespace = object.path("metadata").path("namespace").asText("");
        String identity = group + "/" + kind + " " + namespace + "/" + object.path("metadata").path("name").asText();
        Seen before = reportDuplicates ? seen.get(identity) : null;
        if (before != null) {
            String what = kind + " " + (namespace.isEmpty() ? "" : namespace + "/") + object.path("metadata").path("name").asText();
            if (withoutVolatileFields(before.object()).equals(withoutVolatileFields(object))) {
                warnings.add(what + " is read twice, the same both times: " + before.where() + " and " + where
                        + "; the first is used");
                return;
            }
            throw new ClusterInputException(what + " is read twice with different content: " + before.where() + " and "
                    + where + "; pass one dump of each object");
        }
        seen.put(identity, new Seen(where, object));
        boolean namespaced = bound instanceof io.fabric8.kubernetes.api.model.Namespaced
                || bound instanceof GenericKubernetesResource;
        if (namespaced && bound.getMetadata().getNamespace() == null) {
            bound.getMetadata().setNamespace("default");
        }
        collect(bound);
        counts.merge(kind, 1, Integer::sum);
    }

    /** The object without what changes between two reads of an unchanged object. */
    private static JsonNode withoutVolatileFields(JsonNode object) {
        JsonNode copy = object.deepCopy();
        if (copy.path("metadata") instanceof com.fasterxml.jackson.databind.node.ObjectNode metadata) {
            metadata.remove("managedFields");
        }
        return copy;
    }

    /** The first line of a binding error, led by the field it is about, e.g. {@code field parameters: ...}. */
    private static String bindingProblem(Exception e) {
        String message = e instanceof JsonMappingException mapping ? mapping.getOriginalMessage() : e.getMessage();
        message = message == null ? e.getClass().getSimpleName() : message.lines().findFirst().orElse(message);
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = mapping.getPath().stream()
                    .map(reference -> reference.getFieldName() != null
                            ? "." + reference.getFieldName() : "[" + reference.getIndex() + "]")
                    .collect(Collectors.joining())
                    .replaceFirst("^\\.", "");
            return "field " + field + ": " + message;
        }
        return message;
    }

    private void collect(HasMetadata bound) {
        if (bound instanceof StorageClass sc) {
            storageClasses.add(sc);
        } else if (bound instanceof VolumeSnapshotClass vsc) {
            snapshotClasses.add(vsc);
        } else if (bound instanceof VolumeSnapshot snapshot) {
            snapshots.add(snapshot);
        } else if (bound instanceof StorageProfile profile) {
            profiles.add(profile);
        } else if (bound instanceof DataImportCron cron) {
            crons.add(cron);
        } else if (bound instanceof PersistentVolumeClaim claim) {
            claims.add(claim);
        } else if (bound instanceof Cdi cdi) {
            cdis.add(cdi);
        } else if (bound instanceof DataVolume dataVolume) {
            dataVolumes.add(dataVolume);
        } else if (bound instanceof GenericKubernetesResource generic && "HyperConverged".equals(generic.getKind())) {
            hyperConvergeds.add(generic);
        } else if (bound instanceof GenericKubernetesResource generic) {
            dataSources.add(generic);
        } else {
            throw new IllegalStateException(bound.getClass().getName() + " bound for " + bound.getKind());
        }
    }
}
