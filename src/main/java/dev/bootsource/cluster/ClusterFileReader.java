package dev.bootsource.cluster;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.bootsource.model.Cdi;
import dev.bootsource.model.DataImportCron;
import dev.bootsource.model.StorageProfile;
import dev.bootsource.model.VolumeSnapshot;
import dev.bootsource.model.VolumeSnapshotClass;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.storage.StorageClass;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
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
            "/PersistentVolumeClaim", PersistentVolumeClaim.class);

    private final List<StorageClass> storageClasses = new ArrayList<>();
    private final List<VolumeSnapshotClass> snapshotClasses = new ArrayList<>();
    private final List<StorageProfile> profiles = new ArrayList<>();
    private final List<PersistentVolumeClaim> claims = new ArrayList<>();
    private final List<DataImportCron> crons = new ArrayList<>();
    private final List<VolumeSnapshot> snapshots = new ArrayList<>();
    private final List<Cdi> cdis = new ArrayList<>();

    public static ClusterSnapshot read(List<Path> files) {
        ClusterFileReader reader = new ClusterFileReader();
        for (Path file : files) {
            reader.add(readText(file), file.toString());
        }
        return reader.snapshot();
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
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
            if (Files.isDirectory(file)) {
                throw new ClusterInputException(file + ": is a directory; name the files inside it");
            }
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ClusterInputException(file + ": no such file");
        } catch (IOException e) {
            throw new ClusterInputException(file + ": cannot read: " + e.getMessage());
        }
    }

    public void add(String text, String source) {
        for (JsonNode object : KubernetesObjects.split(text, source)) {
            addObject(object, source);
        }
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
                .build();
    }

    private void addObject(JsonNode object, String source) {
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
        if (bound instanceof io.fabric8.kubernetes.api.model.Namespaced && bound.getMetadata().getNamespace() == null) {
            bound.getMetadata().setNamespace("default");
        }
        collect(bound);
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
        } else {
            throw new IllegalStateException(bound.getClass().getName() + " bound for " + bound.getKind());
        }
    }
}
