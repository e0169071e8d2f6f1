package dev.bootsource.input;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The content of an object as read, for telling whether two reads of one object are the same: a SHA-256
 * digest of the tree in a canonical form. Two objects have the same digest when their trees are equal as
 * Jackson compares them (the keys of a mapping in any order, list items in order, a value's type and
 * value), leaving out {@code metadata.managedFields}, which changes between two dumps of an unchanged
 * object. Keeping 32 bytes per object instead of its tree is what lets a large dump be read one object at
 * a time. One instance digests one object at a time.
 */
final class ObjectContent {

    /** Where a node is: the managedFields of the object's own metadata are left out. */
    private enum Place { OBJECT, METADATA, INSIDE }

    private final MessageDigest digest = sha256();
    /** The canonical form on its way to the digest. */
    private final byte[] buffer = new byte[8192];
    private int buffered;

    byte[] digest(JsonNode object) {
        add(object, Place.OBJECT);
        flush();
        return digest.digest();
    }

    private void add(JsonNode node, Place place) {
        switch (node.getNodeType()) {
            case OBJECT -> {
                List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(node.size());
                for (Map.Entry<String, JsonNode> field : node.properties()) {
                    if (!(place == Place.METADATA && field.getKey().equals("managedFields"))) {
                        fields.add(field);
                    }
                }
                fields.sort(Map.Entry.comparingByKey());
                put('{');
                length(fields.size());
                for (Map.Entry<String, JsonNode> field : fields) {
                    text(field.getKey());
                    add(field.getValue(), place == Place.OBJECT && field.getKey().equals("metadata") ? Place.METADATA : Place.INSIDE);
                }
            }
            case ARRAY -> {
                put('[');
                length(node.size());
                node.forEach(item -> add(item, Place.INSIDE));
            }
            case STRING -> {
                put('s');
                text(node.textValue());
            }
            case NUMBER -> {
                // An int and a long of the same value are different nodes to Jackson: the type is part of it.
                put('n');
                put(node.numberType().ordinal());
                text(node.asText());
            }
            case BOOLEAN -> put(node.booleanValue() ? 't' : 'f');
            case NULL -> put('0');
            default -> {
                put('?');
                text(node.getNodeType().name());
                text(node.toString());
            }
        }
    }

    /** Its length, then its UTF-8 bytes. */
    private void text(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                length(bytes.length);
                flush();
                digest.update(bytes);
                return;
            }
        }
        length(text.length());
        for (int i = 0; i < text.length(); i++) {
            put(text.charAt(i));
        }
    }

    private void length(int length) {
        put(length >>> 24);
        put(length >>> 16);
        put(length >>> 8);
        put(length);
    }

    private void put(int b) {
        if (buffered == buffer.length) {
            flush();
        }
        buffer[buffered++] = (byte) b;
    }

    private void flush() {
        digest.update(buffer, 0, buffered);
        buffered = 0;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
