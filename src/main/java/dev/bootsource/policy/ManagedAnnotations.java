package dev.bootsource.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bootsource.model.Keys;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * BootSource's record of the annotation values it wrote on a StorageProfile, kept on the profile itself
 * in {@value Keys#MANAGED_ANNOTATIONS} as a JSON object of key to value.
 *
 * <p>An annotation is BootSource's while its current value equals the recorded one. Any other value,
 * or a key not in the record, was set by someone else and is never touched. A user who edits a value
 * BootSource wrote therefore takes it over.
 *
 * @param values   the recorded key/value pairs
 * @param problem  why the record could not be read, if it could not (then it counts as empty)
 */
public record ManagedAnnotations(Map<String, String> values, Optional<String> problem) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public ManagedAnnotations {
        values = Map.copyOf(values);
    }

    public static ManagedAnnotations readFrom(Map<String, String> annotations) {
        String recorded = annotations.get(Keys.MANAGED_ANNOTATIONS);
        if (recorded == null || recorded.isBlank()) {
            return new ManagedAnnotations(Map.of(), Optional.empty());
        }
        try {
            Map<String, String> values = JSON.readValue(recorded, new TypeReference<Map<String, String>>() { });
            if (values == null) {
                return unreadable();
            }
            values.values().removeIf(java.util.Objects::isNull);
            return new ManagedAnnotations(values, Optional.empty());
        } catch (JsonProcessingException e) {
            return unreadable();
        }
    }

    private static ManagedAnnotations unreadable() {
        return new ManagedAnnotations(Map.of(), Optional.of("annotation " + Keys.MANAGED_ANNOTATIONS
                + " is not a JSON object of strings; every annotation is treated as set by a user"));
    }

    /** True when the annotation is present with exactly the value BootSource last wrote. */
    public boolean owns(String key, Map<String, String> annotations) {
        String current = annotations.get(key);
        return current != null && current.equals(values.get(key));
    }

    /** The record as the annotation value, or empty when nothing is recorded. */
    public static Optional<String> format(Map<String, String> values) {
        if (values.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.writeValueAsString(new TreeMap<>(values)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings always serialises", e);
        }
    }
}
