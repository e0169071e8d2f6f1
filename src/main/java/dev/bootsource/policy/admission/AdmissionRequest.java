package dev.bootsource.policy.admission;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The part of an AdmissionReview request the decision depends on.
 *
 * @param operation {@code CREATE}, {@code UPDATE}, {@code DELETE} or {@code CONNECT}
 * @param group     API group of the object's kind ({@code ""} for the core group)
 * @param kind      the object's kind
 * @param namespace the request's namespace; on CREATE the object itself may not carry one yet
 * @param name      the request's object name, empty when the API server has not generated it yet
 * @param object    the object as sent; a missing node when the operation carries none (DELETE)
 */
public record AdmissionRequest(String operation, String group, String kind, String namespace, String name, JsonNode object) {

    public static final String CREATE = "CREATE";

    /** "DataVolume namespace/name", for logs and reasons. */
    public String describe() {
        String shownName = name.isEmpty() ? object.path("metadata").path("name").asText("") : name;
        return kind + " " + (namespace.isEmpty() ? "" : namespace + "/") + (shownName.isEmpty() ? "(unnamed)" : shownName);
    }
}
