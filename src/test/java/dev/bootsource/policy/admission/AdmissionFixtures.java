package dev.bootsource.policy.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bootsource.TestResources;
import dev.bootsource.capabilities.CapabilityCatalogLoader;
import dev.bootsource.input.ClusterFileReader;
import dev.bootsource.cluster.ClusterSnapshot;
import dev.bootsource.policy.BootSourcePolicy;
import dev.bootsource.policy.PolicyOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/**
 * Test input for admission: the AdmissionReview requests a real API server sent (copied from the
 * shared fixtures), variants of them, and the GKE-like cluster state they are paired with.
 */
public final class AdmissionFixtures {

    public static final String DATA_VOLUME_REVIEW = "admissionreview-datavolume-create.json";
    public static final String VOLUME_SNAPSHOT_REVIEW = "admissionreview-volumesnapshot-create.json";
    public static final String GCP_CLUSTER = "cluster-gcp.yaml";
    /** The uids the fixtures carry. */
    public static final String DATA_VOLUME_UID = "7b444e9a-f416-4ce7-be99-88e7449817e4";
    public static final String VOLUME_SNAPSHOT_UID = "65cea2df-e2c3-47c2-95ea-ede3ec9697f8";

    public static final ObjectMapper JSON = new ObjectMapper();
    public static final BootSourcePolicy POLICY = new BootSourcePolicy(CapabilityCatalogLoader.bundled(), PolicyOptions.DEFAULTS);

    private AdmissionFixtures() {
    }

    public static String resource(String name) {
        return TestResources.text("/admission/" + name);
    }

    /** A fresh copy of a fixture review, changed by the edits in order. */
    @SafeVarargs
    public static ObjectNode review(String fixture, Consumer<ObjectNode>... edits) {
        try {
            ObjectNode review = (ObjectNode) JSON.readTree(resource(fixture));
            for (Consumer<ObjectNode> edit : edits) {
                edit.accept(review);
            }
            return review;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SafeVarargs
    public static ObjectNode dataVolumeReview(Consumer<ObjectNode>... edits) {
        return review(DATA_VOLUME_REVIEW, edits);
    }

    @SafeVarargs
    public static ObjectNode volumeSnapshotReview(Consumer<ObjectNode>... edits) {
        return review(VOLUME_SNAPSHOT_REVIEW, edits);
    }

    /** The object under admission inside a review. */
    public static ObjectNode object(ObjectNode review) {
        return (ObjectNode) review.get("request").get("object");
    }

    public static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The request part of a review, read the way the webhook reads it. */
    public static AdmissionRequest request(ObjectNode review) {
        JsonNode request = review.get("request");
        return new AdmissionRequest(
                request.path("operation").asText(),
                request.path("kind").path("group").asText(),
                request.path("kind").path("kind").asText(),
                request.path("namespace").asText(""),
                request.path("name").asText(""),
                request.path("object"));
    }

    /** The GKE-like state, then each YAML text in order; an object of the same kind and name replaces the earlier one. */
    public static ClusterSnapshot gcpCluster(String... overrides) {
        ClusterFileReader reader = new ClusterFileReader();
        reader.add(resource(GCP_CLUSTER), GCP_CLUSTER);
        for (int i = 0; i < overrides.length; i++) {
            reader.add(overrides[i], "override " + (i + 1));
        }
        return reader.snapshot();
    }
}
