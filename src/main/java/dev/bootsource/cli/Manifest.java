package dev.bootsource.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bootsource.policy.workaround.WorkaroundStep;

import java.util.List;

/**
 * One rendered document of {@code workaround}: the YAML tree to print, and the comments above it.
 *
 * @param step     the workaround step it belongs to
 * @param comments what the document is for and how to apply it, one line each (printed as YAML comments)
 * @param document the Kubernetes object, or the part of one to apply
 */
record Manifest(WorkaroundStep step, List<String> comments, ObjectNode document) {

    Manifest {
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
