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
import java.util.Arrays;
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

    /** The objects read, by kind, each kind in the order read. */
    private final Map<String, List<HasMetadata>> objects = new LinkedHashMap<>();
    /**
     * Where each object was read and a digest of its content, by kind and namespaced name, to report
     * duplicates with both sources; {@link #seenOrder} holds the keys in the order added, to take them back.
     */
    private final Map<String, Seen> seen = new HashMap<>();
    private final List<String> seenOrder = new ArrayList<>();
    private final ObjectContent content = new ObjectContent();
    private final List<String> warnings = new ArrayList<>();
    /** The first object of the text being added that cannot be used; reported once the whole text parses. */
    private ClusterInputException unusable;

    /** Whether the same object twice is reported (files from the command line) or the later one wins (states built in code). */
    private final boolean reportDuplicates;

    private record Seen(String where, byte[] content) {
    }

    /** A reader where a later object replaces an earlier one of the same kind and name, for states built in code. */
    public ClusterFileReader() {
        this(false);
    }

    private ClusterFileReader(boolean reportDuplicates) {
        this.reportDuplicates = reportDuplicates;
        KIND_NAMES.forEach(kind -> objects.put(kind, new ArrayList<>()));
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

    /**
     * Adds the objects of {@code text}, read one at a time. All or nothing: when the text cannot be used,
     * nothing of it is added. A text that does not parse is reported as such even where an object before
     * the problem is unusable too, as when the text was parsed whole before its objects were read.
     */
    public void add(String text, String source) {
        Runnable undo = mark();
        try {
            KubernetesObjects.read(text, source, new KubernetesObjects.ObjectSink() {
                @Override
                public void accept(KubernetesObjects.Located located) {
                    if (unusable != null) {
                        return;
                    }
                    try {
                        addObject(located.object(), source, located.where());
                    } catch (ClusterInputException e) {
                        unusable = e;
                    }
                }

                @Override
                public Runnable mark() {
                    return ClusterFileReader.this.mark();
                }
            });
            if (unusable != null) {
                throw unusable;
            }
        } catch (RuntimeException e) {
            undo.run();
            throw e;
        }
    }

    /** A point to come back to: running the answer forgets every object added since. */
    private Runnable mark() {
        int[] sizes = objects.values().stream().mapToInt(List::size).toArray();
        int seenSize = seenOrder.size();
        int warningsSize = warnings.size();
        ClusterInputException unusableThen = unusable;
        return () -> {
            int kind = 0;
            for (List<HasMetadata> read : objects.values()) {
                read.subList(sizes[kind++], read.size()).clear();
            }
            List<String> added = seenOrder.subList(seenSize, seenOrder.size());
            added.forEach(seen::remove);
            added.clear();
            warnings.subList(warningsSize, warnings.size()).clear();
            unusable = unusableThen;
        };
    }

    /** How many objects of each kind were read (every kind listed, zero included), in {@link #KIND_NAMES} order. */
    public Map<String, Integer> counts() {
        Map<String, Integer> all = new LinkedHashMap<>();
        objects.forEach((kind, read) -> all.put(kind, read.size()));
        return all;
    }

    /** Things worth knowing that did not stop the read, e.g. the same object twice with the same content. */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    public ClusterSnapshot snapshot() {
        return ClusterSnapshot.builder()
                .storageClasses(read("StorageClass", StorageClass.class))
                .volumeSnapshotClasses(read("VolumeSnapshotClass", VolumeSnapshotClass.class))
                .storageProfiles(read("StorageProfile", StorageProfile.class))
                .persistentVolumeClaims(read("PersistentVolumeClaim", PersistentVolumeClaim.class))
                .dataImportCrons(read("DataImportCron", DataImportCron.class))
                .volumeSnapshots(read("VolumeSnapshot", VolumeSnapshot.class))
                .cdis(read("CDI", Cdi.class))
                .dataVolumes(read("DataVolume", DataVolume.class))
                .dataSources(read("DataSource", GenericKubernetesResource.class))
                .hyperConvergeds(read("HyperConverged", GenericKubernetesResource.class))
                .build();
    }

    private <T extends HasMetadata> List<T> read(String kind, Class<T> type) {
        return objects.get(kind).stream().map(type::cast).toList();
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
        if (reportDuplicates && isDuplicate(identity, object, kind, namespace, where)) {
            return;
        }
        boolean namespaced = bound instanceof io.fabric8.kubernetes.api.model.Namespaced
                || bound instanceof GenericKubernetesResource;
        if (namespaced && bound.getMetadata().getNamespace() == null) {
            bound.getMetadata().setNamespace("default");
        }
        objects.get(kind).add(bound);
    }

    /**
     * Whether an object of this identity was read before: a warning when its content is the same (the first
     * is used), an error when it is not. Only a digest of each object's content is kept to compare.
     */
    private boolean isDuplicate(String identity, JsonNode object, String kind, String namespace, String where) {
        byte[] digest = content.digest(object);
        Seen before = seen.get(identity);
        if (before != null) {
            String what = kind + " " + (namespace.isEmpty() ? "" : namespace + "/") + object.path("metadata").path("name").asText();
            if (Arrays.equals(before.content(), digest)) {
                warnings.add(what + " is read twice, the same both times: " + before.where() + " and " + where
                        + "; the first is used");
                return true;
            }
            throw new ClusterInputException(what + " is read twice with different content: " + before.where() + " and "
                    + where + "; pass one dump of each object");
        }
        seen.put(identity, new Seen(where, digest));
        seenOrder.add(identity);
        return false;
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
}
