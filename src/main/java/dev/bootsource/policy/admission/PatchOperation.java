package dev.bootsource.policy.admission;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * One JSON Patch (RFC 6902) operation.
 *
 * @param op    {@code add} or {@code replace}
 * @param path  a JSON Pointer (RFC 6901), built with {@link #pointer(String...)} so it is escaped
 * @param value the new value: a String or a list of Strings
 */
public record PatchOperation(String op, String path, Object value) {

    public static PatchOperation add(String path, Object value) {
        return new PatchOperation("add", path, value);
    }

    public static PatchOperation replace(String path, Object value) {
        return new PatchOperation("replace", path, value);
    }

    /** A JSON Pointer to the member reached through these names, each escaped ({@code ~} as ~0, {@code /} as ~1). */
    public static String pointer(String... segments) {
        return Arrays.stream(segments)
                .map(segment -> "/" + segment.replace("~", "~0").replace("/", "~1"))
                .collect(Collectors.joining());
    }
}
