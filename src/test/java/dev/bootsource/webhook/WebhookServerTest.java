package dev.bootsource.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bootsource.input.ClusterFileReader;
import dev.bootsource.cluster.ClusterSnapshot;
import dev.bootsource.cluster.ClusterView;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import dev.bootsource.cluster.ForwardingClusterView;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static dev.bootsource.policy.admission.AdmissionFixtures.DATA_VOLUME_UID;
import static dev.bootsource.policy.admission.AdmissionFixtures.JSON;
import static dev.bootsource.policy.admission.AdmissionFixtures.POLICY;
import static dev.bootsource.policy.admission.AdmissionFixtures.VOLUME_SNAPSHOT_UID;
import static dev.bootsource.policy.admission.AdmissionFixtures.bytes;
import static dev.bootsource.policy.admission.AdmissionFixtures.dataVolumeReview;
import static dev.bootsource.policy.admission.AdmissionFixtures.gcpCluster;
import static dev.bootsource.policy.admission.AdmissionFixtures.object;
import static dev.bootsource.policy.admission.AdmissionFixtures.volumeSnapshotReview;
import static org.assertj.core.api.Assertions.assertThat;

/** The webhook over real HTTPS, fed the AdmissionReviews a real API server sent, as the API server calls it. */
class WebhookServerTest {

    private static final String MUTATE = "/mutate?timeout=5s";
    private static final String APPLICATION_JSON = "application/json";

    @TempDir
    static Path tls;
    private static ServerCredentials credentials;
    private static WebhookServer server;
    private static HttpClient client;

    @BeforeAll
    static void start() {
        credentials = TestTls.ecCertificate();
        Path certificate = tls.resolve("tls.crt");
        Path key = tls.resolve("tls.key");
        TestTls.writeCertificate(certificate, credentials);
        TestTls.writeKey(key, credentials, TestTls.KeyFormat.PKCS8);
        server = WebhookServer.start(new WebhookServer.Settings(0, Optional.of(certificate), Optional.of(key)), gcpCluster(), POLICY);
        client = TestTls.client(TestTls.trusting(credentials.certificate()));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aGoldenImageDataVolumeIsImportedReadWriteOnce() throws Exception {
        HttpResponse<String> answer = post(bytes(dataVolumeReview()), APPLICATION_JSON);

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).contains(APPLICATION_JSON);
        JsonNode response = response(answer);
        assertThat(response.get("uid").asText()).isEqualTo(DATA_VOLUME_UID);
        assertThat(response.get("allowed").asBoolean()).isTrue();
        assertThat(response.get("patchType").asText()).isEqualTo("JSONPatch");
        assertThat(patch(response)).isEqualTo(JSON.readTree(
                "[{\"op\":\"add\",\"path\":\"/spec/storage/accessModes\",\"value\":[\"ReadWriteOnce\"]}]"));
    }

    @Test
    void aGoldenSnapshotGetsTheImagesClass() throws Exception {
        JsonNode response = response(post(bytes(volumeSnapshotReview()), APPLICATION_JSON));

        assertThat(response.get("uid").asText()).isEqualTo(VOLUME_SNAPSHOT_UID);
        assertThat(patch(response)).isEqualTo(JSON.readTree(
                "[{\"op\":\"replace\",\"path\":\"/spec/volumeSnapshotClassName\",\"value\":\"sp-balanced-images\"}]"));
    }

    @Test
    void updateAndDeleteAreAdmittedUnchanged() throws Exception {
        for (String operation : List.of("UPDATE", "DELETE")) {
            JsonNode response = response(post(bytes(dataVolumeReview(review -> review.withObject("/request")
                    .put("operation", operation))), APPLICATION_JSON));

            assertThat(response.get("allowed").asBoolean()).as(operation).isTrue();
            assertThat(response.has("patch")).as(operation).isFalse();
            assertThat(response.has("warnings")).as(operation).isFalse();
        }
    }

    @Test
    void objectsWithoutTheDataImportCronLabelAreAdmittedUnchanged() throws Exception {
        JsonNode response = response(post(bytes(dataVolumeReview(review -> object(review).withObject("/metadata/labels")
                .remove("cdi.kubevirt.io/dataImportCron"))), APPLICATION_JSON));

        assertThat(response.get("allowed").asBoolean()).isTrue();
        assertThat(response.has("patch")).isFalse();
    }

    @Test
    void somethingUnknownIsAdmittedWithAWarning() throws Exception {
        JsonNode response = response(post(bytes(volumeSnapshotReview(review -> object(review).withObject("/spec/source")
                .put("persistentVolumeClaimName", "missing"))), APPLICATION_JSON));

        assertThat(response.get("allowed").asBoolean()).isTrue();
        assertThat(response.has("patch")).isFalse();
        assertThat(response.get("warnings").get(0).asText())
                .startsWith("BootSource: source PersistentVolumeClaim kubevirt-os-images/missing is not known");
    }

    @Test
    void jsonWithACharsetIsAccepted() throws Exception {
        assertThat(post(bytes(dataVolumeReview()), "application/json; charset=utf-8").statusCode()).isEqualTo(200);
        assertThat(post(bytes(dataVolumeReview()), "Application/JSON").statusCode()).isEqualTo(200);
    }

    @Test
    void malformedBodiesGet400AndTheServerKeepsServing() throws Exception {
        byte[] valid = bytes(dataVolumeReview());
        byte[] truncated = Arrays.copyOf(valid, valid.length / 2);
        byte[] garbage = {0, 1, 2, (byte) 0xff, 'x'};

        HttpResponse<String> truncatedAnswer = post(truncated, APPLICATION_JSON);
        assertThat(truncatedAnswer.statusCode()).isEqualTo(400);
        assertThat(truncatedAnswer.body()).startsWith("the body is not valid JSON: Unexpected end-of-input");
        assertThat(post(garbage, APPLICATION_JSON).statusCode()).isEqualTo(400);
        assertThat(post(new byte[0], APPLICATION_JSON).body()).isEqualTo("the body is empty\n");
        assertThat(post("{\"kind\":\"Pod\"}".getBytes(StandardCharsets.UTF_8), APPLICATION_JSON).body())
                .startsWith("expected an AdmissionReview");

        assertThat(post(valid, APPLICATION_JSON).statusCode()).isEqualTo(200);
    }

    @Test
    void admissionsAreCountedByKindAndResult() throws Exception {
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        try (WebhookServer counted = WebhookServer.start(WebhookServer.Settings.selfSigned(0), gcpCluster(), POLICY, metrics)) {
            HttpClient trusting = TestTls.client(trustingSelfSigned(counted));
            URI mutate = URI.create("https://localhost:" + counted.port() + MUTATE);
            post(trusting, mutate, bytes(dataVolumeReview()), APPLICATION_JSON);
            post(trusting, mutate, bytes(volumeSnapshotReview()), APPLICATION_JSON);
            post(trusting, mutate, "not json".getBytes(StandardCharsets.UTF_8), APPLICATION_JSON);

            assertThat(metrics.get("bootsource.admissions").tags("kind", "DataVolume", "result", "patched").counter().count())
                    .isEqualTo(1);
            assertThat(metrics.get("bootsource.admissions").tags("kind", "VolumeSnapshot", "result", "patched").counter().count())
                    .isEqualTo(1);
            assertThat(metrics.get("bootsource.admissions").tags("result", "malformed").counter().count()).isEqualTo(1);
            assertThat(metrics.get("bootsource.admission.duration").timer().count()).isEqualTo(2);
        }
    }

    @Test
    void aWrongContentTypeGets400() throws Exception {
        HttpResponse<String> answer = post(bytes(dataVolumeReview()), "text/plain");

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).isEqualTo("Content-Type must be application/json, not text/plain\n");
        assertThat(send(HttpRequest.newBuilder(uri(MUTATE)).POST(HttpRequest.BodyPublishers.ofByteArray(bytes(dataVolumeReview()))))
                .statusCode()).isEqualTo(400);
    }

    @Test
    void aBodyDeclaredLargerThanTheLimitGets400WithoutBeingRead() throws Exception {
        String answer = rawExchange("POST " + MUTATE + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + (MutateEndpoint.MAX_BODY_BYTES + 1) + "\r\n\r\n", new byte[0]);

        assertThat(answer).startsWith("HTTP/1.1 400").contains("larger than 3145728 bytes");
        assertThat(post(bytes(dataVolumeReview()), APPLICATION_JSON).statusCode()).isEqualTo(200);
    }

    @Test
    void aChunkedBodyOverTheLimitGets400() throws Exception {
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) ' ');
        int chunks = MutateEndpoint.MAX_BODY_BYTES / chunk.length + 2;
        var body = new ByteArrayOutputStream();
        for (int i = 0; i < chunks; i++) {
            body.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            body.write(chunk);
            body.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        body.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

        String answer = rawExchange("POST " + MUTATE + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n", body.toByteArray());

        assertThat(answer).startsWith("HTTP/1.1 400").contains("larger than 3145728 bytes");
        assertThat(post(bytes(dataVolumeReview()), APPLICATION_JSON).statusCode()).isEqualTo(200);
    }

    @Test
    void otherMethodsAndPathsAreRefused() throws Exception {
        assertThat(send(HttpRequest.newBuilder(uri(MUTATE)).GET()).statusCode()).isEqualTo(405);
        assertThat(send(HttpRequest.newBuilder(uri("/mutated")).POST(HttpRequest.BodyPublishers.noBody())).statusCode()).isEqualTo(404);
        assertThat(send(HttpRequest.newBuilder(uri("/")).GET()).statusCode()).isEqualTo(404);
    }

    @Test
    void healthz() throws Exception {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(uri("/healthz")).GET());

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("ok\n");
    }

    @Test
    void answersConcurrentRequestsEachWithItsOwnUid() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<CompletableFuture<JsonNode>> answers = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String uid = "uid-" + i;
                ObjectNode review = i % 2 == 0
                        ? dataVolumeReview(r -> r.withObject("/request").put("uid", uid))
                        : volumeSnapshotReview(r -> r.withObject("/request").put("uid", uid));
                answers.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        HttpResponse<String> answer = post(bytes(review), APPLICATION_JSON);
                        assertThat(answer.statusCode()).isEqualTo(200);
                        return response(answer);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, pool));
            }
            for (int i = 0; i < answers.size(); i++) {
                JsonNode response = answers.get(i).get(10, TimeUnit.SECONDS);
                assertThat(response.get("uid").asText()).isEqualTo("uid-" + i);
                assertThat(response.get("patch").asText()).isNotEmpty();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void eachRequestSeesTheClusterAsItIsThen() throws Exception {
        String storage = """
                apiVersion: storage.k8s.io/v1
                kind: StorageClass
                metadata: {name: sp-balanced, annotations: {storageclass.kubevirt.io/is-default-virt-class: "true"}}
                provisioner: pd.csi.storage.gke.io
                parameters: {type: hyperdisk-balanced}
                ---
                apiVersion: cdi.kubevirt.io/v1beta1
                kind: StorageProfile
                metadata: {name: sp-balanced}
                ---
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata: {name: fedora-a5e9cbcd3bcb, namespace: kubevirt-os-images}
                spec: {accessModes: [ReadWriteOnce], storageClassName: sp-balanced}
                """;
        String imagesClass = """
                apiVersion: snapshot.storage.k8s.io/v1
                kind: VolumeSnapshotClass
                metadata: {name: hyperdisk-images}
                driver: pd.csi.storage.gke.io
                parameters: {snapshot-type: images}
                """;
        LiveCluster cluster = new LiveCluster(snapshot(storage));
        try (WebhookServer live = WebhookServer.start(WebhookServer.Settings.selfSigned(0), cluster, POLICY)) {
            HttpClient liveClient = TestTls.client(trustingSelfSigned(live));
            URI mutate = URI.create("https://localhost:" + live.port() + MUTATE);

            JsonNode before = response(post(liveClient, mutate, bytes(volumeSnapshotReview()), APPLICATION_JSON));
            assertThat(before.has("patch")).isFalse();
            assertThat(before.get("warnings").get(0).asText()).contains("sp-balanced-images", "does not exist (yet)");

            cluster.set(snapshot(storage, imagesClass));

            JsonNode after = response(post(liveClient, mutate, bytes(volumeSnapshotReview()), APPLICATION_JSON));
            assertThat(patch(after)).isEqualTo(JSON.readTree(
                    "[{\"op\":\"replace\",\"path\":\"/spec/volumeSnapshotClassName\",\"value\":\"hyperdisk-images\"}]"));
        }
    }

    // --- helpers

    /** Trusts the CA file the server wrote for its self-signed certificate, as a local client would. */
    static SSLContext trustingSelfSigned(WebhookServer server) throws Exception {
        try (var in = Files.newInputStream(server.selfSignedCertificateFile().orElseThrow())) {
            return TestTls.trusting((X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
    }

    private static ClusterSnapshot snapshot(String... yaml) {
        var reader = new ClusterFileReader();
        for (String text : yaml) {
            reader.add(text, "test");
        }
        return reader.snapshot();
    }

    /** A cluster view that changes between requests, as the operator's informer-backed one does. */
    static final class LiveCluster extends ForwardingClusterView {
        private volatile ClusterView state;

        LiveCluster(ClusterView state) {
            this.state = state;
        }

        void set(ClusterView next) {
            state = next;
        }

        @Override
        protected ClusterView delegate() {
            return state;
        }
    }

    private static URI uri(String pathAndQuery) {
        return URI.create("https://localhost:" + server.port() + pathAndQuery);
    }

    private static HttpResponse<String> post(byte[] body, String contentType) throws IOException, InterruptedException {
        return post(client, uri(MUTATE), body, contentType);
    }

    static HttpResponse<String> post(HttpClient client, URI uri, byte[] body, String contentType)
            throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode response(HttpResponse<String> answer) throws IOException {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode review = JSON.readTree(answer.body());
        assertThat(review.get("apiVersion").asText()).isEqualTo("admission.k8s.io/v1");
        assertThat(review.get("kind").asText()).isEqualTo("AdmissionReview");
        return review.get("response");
    }

    static JsonNode patch(JsonNode response) throws IOException {
        return JSON.readTree(Base64.getDecoder().decode(response.get("patch").asText()));
    }

    /**
     * Sends raw HTTP over TLS (for what HttpClient will not send) and returns the response head and
     * body; the body is written from another thread, since the server may answer before reading it all.
     */
    private static String rawExchange(String head, byte[] body) throws Exception {
        SSLContext context = TestTls.trusting(credentials.certificate());
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("localhost", server.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread writer = new Thread(() -> {
                try {
                    out.write(body);
                    out.flush();
                } catch (IOException closedByServer) {
                    // The server answered and closed without reading the rest, as it should.
                }
            });
            writer.start();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder answer = new StringBuilder();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                answer.append(line).append('\n');
                if (answer.indexOf("\n\n") >= 0 && line.contains("bytes")) {
                    break;
                }
            }
            writer.join(10_000);
            return answer.toString();
        }
    }
}
