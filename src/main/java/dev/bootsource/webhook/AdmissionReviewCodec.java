package dev.bootsource.webhook;

import dev.bootsource.errors.ErrorMessages;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bootsource.policy.admission.AdmissionDecision;
import dev.bootsource.policy.admission.AdmissionRequest;

import java.io.IOException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Reads admission.k8s.io/v1 AdmissionReview requests and writes the responses: always
 * {@code allowed: true} with the request's uid, a base64 JSONPatch only when the object changes,
 * and the decision's warnings.
 */
public final class AdmissionReviewCodec {

    public static final String API_VERSION = "admission.k8s.io/v1";
    public static final String KIND = "AdmissionReview";
    /** Kubernetes may truncate longer warnings; we keep them whole up to this and cut them ourselves beyond. */
    static final int MAX_WARNING_LENGTH = 256;
    static final String WARNING_PREFIX = "BootSource: ";

    /**
     * Bounds on what one body may make the parser build, besides its 3 MiB: a body of nested or empty
     * objects is small on the wire but large as a tree. The AdmissionReviews the API server sends for
     * DataVolumes and VolumeSnapshots have a few hundred tokens, nested about 12 deep (managedFields);
     * these limits leave wide room for real objects and keep the worst body's tree to a few MB.
     */
    static final int MAX_TOKENS = 50_000;
    static final int MAX_NESTING = 64;
    static final int MAX_NAME_LENGTH = 1024;
    static final int MAX_NUMBER_LENGTH = 64;

    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxTokenCount(MAX_TOKENS)
                    .maxNestingDepth(MAX_NESTING)
                    .maxNameLength(MAX_NAME_LENGTH)
                    .maxNumberLength(MAX_NUMBER_LENGTH)
                    .build())
            .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private AdmissionReviewCodec() {
    }

    /** The request's uid and content. */
    public record ReviewRequest(String uid, AdmissionRequest request) {
    }

    public static ReviewRequest decode(byte[] body) {
        JsonNode review = parse(body);
        if (!review.isObject()) {
            throw new MalformedReviewException("the body is not a JSON object but " + review.getNodeType().toString().toLowerCase(Locale.ROOT));
        }
        String apiVersion = text(review, "apiVersion", "");
        String kind = text(review, "kind", "");
        if (!API_VERSION.equals(apiVersion) || !KIND.equals(kind)) {
            throw new MalformedReviewException("expected an " + KIND + " of apiVersion " + API_VERSION + ", got "
                    + (kind.isEmpty() ? "no kind" : kind) + " of " + (apiVersion.isEmpty() ? "no apiVersion" : "apiVersion " + apiVersion));
        }
        JsonNode request = review.path("request");
        if (!request.isObject()) {
            throw new MalformedReviewException("the " + KIND + " has no request object");
        }
        String uid = required(request, "uid");
        String operation = required(request, "operation");
        JsonNode object = request.path("object");
        if (!object.isObject()) {
            if (AdmissionRequest.CREATE.equals(operation)) {
                throw new MalformedReviewException("request.object is missing or not an object, but CREATE always carries one");
            }
            object = MissingNode.getInstance();
        }
        JsonNode requestKind = request.path("kind");
        String group;
        String objectKind;
        if (requestKind.isObject()) {
            group = text(requestKind, "group", "");
            objectKind = text(requestKind, "kind", "");
        } else {
            String objectApiVersion = text(object, "apiVersion", "");
            group = objectApiVersion.contains("/") ? objectApiVersion.substring(0, objectApiVersion.indexOf('/')) : "";
            objectKind = text(object, "kind", "");
        }
        return new ReviewRequest(uid, new AdmissionRequest(operation, group, objectKind,
                text(request, "namespace", ""), text(request, "name", ""), object));
    }

    public static byte[] encode(String uid, AdmissionDecision decision) {
        ObjectNode review = JSON.createObjectNode()
                .put("apiVersion", API_VERSION)
                .put("kind", KIND);
        ObjectNode response = review.putObject("response")
                .put("uid", uid)
                .put("allowed", true);
        if (!decision.patch().isEmpty()) {
            response.put("patchType", "JSONPatch");
            response.put("patch", Base64.getEncoder().encodeToString(toJson(decision.patch())));
        }
        List<String> warnings = decision.warnings();
        if (!warnings.isEmpty()) {
            ArrayNode array = response.putArray("warnings");
            warnings.forEach(warning -> array.add(printable(WARNING_PREFIX + warning)));
        }
        return toJson(review);
    }

    private static JsonNode parse(byte[] body) {
        if (body.length == 0) {
            throw new MalformedReviewException("the body is empty");
        }
        try {
            JsonNode node = JSON.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw new MalformedReviewException("the body holds no JSON value");
            }
            return node;
        } catch (JsonProcessingException e) {
            JsonLocation location = e.getLocation();
            throw new MalformedReviewException("the body is not valid JSON: " + ErrorMessages.firstLine(e.getOriginalMessage())
                    + (location == null ? "" : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")"));
        } catch (IOException e) {
            throw new MalformedReviewException("the body cannot be read: " + ErrorMessages.firstLine(e.getMessage()));
        }
    }

    private static String required(JsonNode request, String field) {
        String value = text(request, field, "");
        if (value.isBlank()) {
            throw new MalformedReviewException("request." + field + " is missing");
        }
        return value;
    }

    /** A string field, or the fallback when absent or null; any other type is malformed. */
    private static String text(JsonNode parent, String field, String fallback) {
        JsonNode value = parent.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return fallback;
        }
        if (!value.isTextual()) {
            throw new MalformedReviewException(field + " must be a string, not " + value.getNodeType().toString().toLowerCase(Locale.ROOT));
        }
        return value.asText();
    }

    /** Warnings travel in an HTTP header: one line of printable text, of a length Kubernetes keeps whole. */
    private static String printable(String warning) {
        String oneLine = warning.replaceAll("\\p{Cntrl}", " ");
        return oneLine.length() <= MAX_WARNING_LENGTH ? oneLine : oneLine.substring(0, MAX_WARNING_LENGTH - 3) + "...";
    }

    private static byte[] toJson(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
