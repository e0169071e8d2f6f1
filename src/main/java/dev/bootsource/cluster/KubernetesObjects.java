package dev.bootsource.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.yaml.snakeyaml.LoaderOptions;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits YAML or JSON text into Kubernetes objects: one object, several YAML documents, or a
 * {@code kind: List} (what {@code kubectl get -o yaml} prints), nested lists included.
 */
public final class KubernetesObjects {

    /**
     * Dumps of large clusters run to tens of MiB (10,000 StorageClasses with their profiles: about 5 MiB);
     * SnakeYAML's default stops at 3 MiB per document.
     */
    private static final int MAX_DOCUMENT_CODE_POINTS = 256 * 1024 * 1024;

    /** Binds objects to our models; tolerant of fields we do not model. */
    public static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory().rebuild()
                    .loaderOptions(loaderOptions())
                    .build())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private KubernetesObjects() {
    }

    private static LoaderOptions loaderOptions() {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(MAX_DOCUMENT_CODE_POINTS);
        return options;
    }

    /**
     * @param text   the content
     * @param source what to call the content in errors, e.g. the file name
     */
    public static List<JsonNode> split(String text, String source) {
        List<JsonNode> objects = new ArrayList<>();
        try (MappingIterator<JsonNode> documents = MAPPER.readerFor(JsonNode.class).readValues(text)) {
            int document = 0;
            while (documents.hasNextValue()) {
                document++;
                JsonNode node = documents.nextValue();
                if (node == null || node.isNull() || node.isMissingNode()) {
                    continue;
                }
                if (!node.isObject()) {
                    throw new ClusterInputException(source + ": document " + document
                            + " is not a Kubernetes object (a mapping with apiVersion, kind and metadata)");
                }
                flatten(node, source, objects);
            }
        } catch (IOException e) {
            throw new ClusterInputException(source + ": not valid YAML or JSON" + at(e) + ": " + describe(e));
        } catch (RuntimeException e) {
            if (e instanceof ClusterInputException) {
                throw e;
            }
            throw new ClusterInputException(source + ": not valid YAML or JSON: " + describe(e));
        }
        return objects;
    }

    private static void flatten(JsonNode node, String source, List<JsonNode> into) {
        String kind = node.path("kind").asText("");
        if (kind.endsWith("List") && node.has("items")) {
            JsonNode items = node.get("items");
            if (!items.isArray()) {
                throw new ClusterInputException(source + ": " + kind + " has 'items' that is not a list");
            }
            items.forEach(item -> flatten(item, source, into));
            return;
        }
        into.add(node);
    }

    /** "kind namespace/name" for messages, with what is known of an object that may be malformed. */
    public static String describe(JsonNode object) {
        String kind = object.path("kind").asText("(no kind)");
        String namespace = object.path("metadata").path("namespace").asText("");
        String name = object.path("metadata").path("name").asText("(no name)");
        return kind + " " + (namespace.isEmpty() ? "" : namespace + "/") + name;
    }

    /** " at line N" where the parser knows the line, else nothing. */
    private static String at(IOException e) {
        if (e instanceof JsonProcessingException parsing && parsing.getLocation() != null
                && parsing.getLocation().getLineNr() > 0) {
            return " at line " + parsing.getLocation().getLineNr();
        }
        return "";
    }

    private static String describe(Exception e) {
        String message = e instanceof JsonProcessingException parsing ? parsing.getOriginalMessage() : e.getMessage();
        message = message == null ? e.getClass().getSimpleName() : message;
        return message.lines().findFirst().orElse(message).trim();
    }
}
