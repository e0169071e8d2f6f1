package dev.bootsource.capabilities;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;

/**
 * Reads the bundled provisioner data and lays admin overrides over it.
 *
 * <p>An override file has the bundled file's shape. Maps merge key by key, all the way down; a list
 * or a plain value replaces the bundled one. So an admin adds a provisioner key by naming it, changes
 * one fact by naming just that fact, and takes a key out of the RWO set with
 * {@code bootSource: {readWriteOnce: false}}.
 */
public final class CapabilityCatalogLoader {

    public static final String BUNDLED_RESOURCE = "/dev/bootsource/capabilities/provisioners.yaml";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

    private CapabilityCatalogLoader() {
    }

    public static CapabilityCatalog bundled() {
        return bind(bundledTree(), "bundled " + BUNDLED_RESOURCE);
    }

    /** The bundled data with overrides given as text (for a ConfigMap value), named {@code source} in errors. */
    public static CapabilityCatalog withOverrides(String overrideYaml, String source) {
        try {
            return withOverrides(YAML.readTree(overrideYaml), source);
        } catch (JsonProcessingException e) {
            throw new CapabilityConfigException(source + ": cannot read provisioner config: " + firstLine(e));
        }
    }

    private static CapabilityCatalog withOverrides(JsonNode override, String source) {
        if (override == null || override.isNull() || override.isMissingNode()) {
            return bundled();
        }
        if (!override.isObject()) {
            throw new CapabilityConfigException(source + ": provisioner config must be a mapping");
        }
        ObjectNode merged = bundledTree();
        mergeInto(merged, (ObjectNode) override);
        return bind(merged, source);
    }

    private static ObjectNode bundledTree() {
        try (InputStream in = CapabilityCatalogLoader.class.getResourceAsStream(BUNDLED_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("bundled provisioner data missing: " + BUNDLED_RESOURCE);
            }
            return (ObjectNode) YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void mergeInto(ObjectNode target, ObjectNode override) {
        Iterator<Map.Entry<String, JsonNode>> fields = override.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode existing = target.get(field.getKey());
            if (existing instanceof ObjectNode existingObject && field.getValue() instanceof ObjectNode overrideObject) {
                mergeInto(existingObject, overrideObject);
            } else if (existing instanceof ObjectNode && field.getValue().isNull()) {
                // `provisioners:` with nothing under it overrides nothing; it must not drop the bundled map
                continue;
            } else {
                target.set(field.getKey(), field.getValue());
            }
        }
    }

    private static CapabilityCatalog bind(JsonNode tree, String source) {
        try {
            return YAML.treeToValue(tree, CapabilityCatalog.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new CapabilityConfigException(source + ": invalid provisioner config: " + firstLine(e));
        }
    }

    private static String firstLine(Exception e) {
        String message = e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage();
        if (message == null) {
            return e.getClass().getSimpleName();
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
