package dev.bootsource.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bootsource.policy.admission.AdmissionDecision;
import dev.bootsource.policy.admission.AdmissionRequest;
import dev.bootsource.policy.admission.PatchOperation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

import static dev.bootsource.policy.admission.AdmissionFixtures.JSON;
import static dev.bootsource.policy.admission.AdmissionFixtures.bytes;
import static dev.bootsource.policy.admission.AdmissionFixtures.dataVolumeReview;
import static dev.bootsource.policy.admission.AdmissionFixtures.volumeSnapshotReview;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class AdmissionReviewCodecTest {

    @Test
    void readsTheRequestAsTheApiServerSendsIt() {
        AdmissionReviewCodec.ReviewRequest decoded = AdmissionReviewCodec.decode(bytes(volumeSnapshotReview()));

        assertThat(decoded.uid()).isEqualTo("65cea2df-e2c3-47c2-95ea-ede3ec9697f8");
        AdmissionRequest request = decoded.request();
        assertThat(request.operation()).isEqualTo("CREATE");
        assertThat(request.group()).isEqualTo("snapshot.storage.k8s.io");
        assertThat(request.kind()).isEqualTo("VolumeSnapshot");
        assertThat(request.namespace()).isEqualTo("kubevirt-os-images");
        assertThat(request.describe()).isEqualTo("VolumeSnapshot kubevirt-os-images/fedora-a5e9cbcd3bcb");
        assertThat(request.object().path("spec").path("volumeSnapshotClassName").asText()).isEqualTo("csi-gce-pd-vsc");
    }

    @Test
    void takesTheKindFromTheObjectWhenTheRequestLacksIt() {
        var review = dataVolumeReview(r -> r.withObject("/request").remove("kind"));

        AdmissionRequest request = AdmissionReviewCodec.decode(bytes(review)).request();

        assertThat(request.group()).isEqualTo("cdi.kubevirt.io");
        assertThat(request.kind()).isEqualTo("DataVolume");
    }

    @Test
    void aDeleteCarriesNoObject() {
        var review = dataVolumeReview(r -> r.withObject("/request").put("operation", "DELETE").putNull("object"));

        assertThat(AdmissionReviewCodec.decode(bytes(review)).request().object().isMissingNode()).isTrue();
    }

    static Stream<Arguments> malformed() {
        String valid = new String(bytes(dataVolumeReview()), StandardCharsets.UTF_8);
        return Stream.of(
                arguments("empty body", "", "the body is empty"),
                arguments("whitespace only", "  \n", "the body holds no JSON value"),
                arguments("truncated JSON", valid.substring(0, valid.length() / 2), "the body is not valid JSON: Unexpected end-of-input"),
                arguments("garbage", "\u0000\u0001garbage", "the body is not valid JSON"),
                arguments("two documents", valid + valid, "the body is not valid JSON: Trailing token"),
                arguments("a JSON array", "[]", "the body is not a JSON object but array"),
                arguments("another kind", "{\"apiVersion\":\"v1\",\"kind\":\"Pod\"}",
                        "expected an AdmissionReview of apiVersion admission.k8s.io/v1, got Pod of apiVersion v1"),
                arguments("admission v1beta1", valid.replace("admission.k8s.io/v1", "admission.k8s.io/v1beta1"),
                        "got AdmissionReview of apiVersion admission.k8s.io/v1beta1"),
                arguments("no request", "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\"}",
                        "the AdmissionReview has no request object"),
                arguments("no uid", valid.replace("\"uid\":\"7b444e9a-f416-4ce7-be99-88e7449817e4\",", ""), "request.uid is missing"),
                arguments("uid not a string", valid.replace("\"7b444e9a-f416-4ce7-be99-88e7449817e4\"", "42"),
                        "uid must be a string, not number"),
                arguments("no operation", valid.replace("\"operation\":\"CREATE\",", ""), "request.operation is missing"),
                arguments("CREATE without object", new String(bytes(dataVolumeReview(r -> r.withObject("/request").remove("object"))),
                        StandardCharsets.UTF_8), "request.object is missing or not an object, but CREATE always carries one"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void refusesWhatIsNotAnAdmissionReview(String what, String body, String message) {
        assertThatThrownBy(() -> AdmissionReviewCodec.decode(body.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedReviewException.class)
                .hasMessageContaining(message);
    }

    @Test
    void anUnchangedObjectGetsAllowedWithoutPatch() throws Exception {
        JsonNode review = JSON.readTree(AdmissionReviewCodec.encode("u-1", new AdmissionDecision.Unchanged("fine")));

        assertThat(review).isEqualTo(JSON.readTree(
                "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"response\":{\"uid\":\"u-1\",\"allowed\":true}}"));
    }

    @Test
    void aMutationCarriesABase64JsonPatch() throws Exception {
        AdmissionDecision decision = new AdmissionDecision.Mutate(List.of(
                PatchOperation.add("/spec/storage/accessModes", List.of("ReadWriteOnce"))), "RWO class");

        JsonNode response = JSON.readTree(AdmissionReviewCodec.encode("u-2", decision)).get("response");

        assertThat(response.get("uid").asText()).isEqualTo("u-2");
        assertThat(response.get("allowed").asBoolean()).isTrue();
        assertThat(response.get("patchType").asText()).isEqualTo("JSONPatch");
        assertThat(JSON.readTree(Base64.getDecoder().decode(response.get("patch").asText()))).isEqualTo(JSON.readTree(
                "[{\"op\":\"add\",\"path\":\"/spec/storage/accessModes\",\"value\":[\"ReadWriteOnce\"]}]"));
        assertThat(response.has("warnings")).isFalse();
    }

    @Test
    void warningsAreOnePrintableLineOfBoundedLength() throws Exception {
        String long_ = "x".repeat(400);
        JsonNode response = JSON.readTree(AdmissionReviewCodec.encode("u-3",
                new AdmissionDecision.Unresolved("StorageClass\nmissing " + long_))).get("response");

        String warning = response.get("warnings").get(0).asText();
        assertThat(warning).startsWith("BootSource: StorageClass missing xxx").endsWith("...").doesNotContain("\n");
        assertThat(warning).hasSize(AdmissionReviewCodec.MAX_WARNING_LENGTH);
        assertThat(response.has("patch")).isFalse();
    }
}
