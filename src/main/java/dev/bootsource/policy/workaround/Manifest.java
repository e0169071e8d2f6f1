package dev.bootsource.policy.workaround;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * One document an admin applies by hand, and what it is for.
 *
 * @param step     the workaround step it belongs to
 * @param comments what the document is for and how to apply it, one line each (printed as YAML comments)
 * @param document the Kubernetes object, or the part of one to apply
 */
public record Manifest(WorkaroundStep step, List<String> comments, ObjectNode document) {

    public Manifest {
        comments = List.copyOf(comments);
        document = document.deepCopy();
    }

    @Override
    public ObjectNode document() {
        return document.deepCopy();
    }

    public String kind() {
        return document.path("kind").asText();
    }

    public String name() {
        return document.path("metadata").path("name").asText();
    }
}
