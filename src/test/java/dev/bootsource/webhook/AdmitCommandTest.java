package dev.bootsource.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bootsource.cli.BootSourceCommand;
import dev.bootsource.policy.admission.AdmissionFixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import static dev.bootsource.policy.admission.AdmissionFixtures.JSON;
import static dev.bootsource.policy.admission.AdmissionFixtures.bytes;
import static dev.bootsource.policy.admission.AdmissionFixtures.dataVolumeReview;
import static dev.bootsource.policy.admission.AdmissionFixtures.resource;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code bootsource admit} and {@code bootsource webhook} from the command line. */
class AdmitCommandTest {

    @TempDir
    Path dir;
    private Path cluster;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream originalOut;
    private PrintStream originalErr;
    private InputStream originalIn;

    @BeforeEach
    void captureConsole() throws Exception {
        cluster = Files.writeString(dir.resolve("cluster.yaml"), resource(AdmissionFixtures.GCP_CLUSTER));
        originalOut = System.out;
        originalErr = System.err;
        originalIn = System.in;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreConsole() {
        System.setOut(originalOut);
        System.setErr(originalErr);
        System.setIn(originalIn);
    }

    @Test
    void printsTheResponseTheServerWouldReturnForAGoldenImageDataVolume() throws Exception {
        Path request = Files.write(dir.resolve("dv.json"), bytes(dataVolumeReview()));

        int exit = BootSourceCommand.execute("admit", "--cluster", cluster.toString(), "--request", request.toString());

        assertThat(exit).as(stderr()).isZero();
        JsonNode response = JSON.readTree(stdout()).get("response");
        assertThat(response.get("uid").asText()).isEqualTo(AdmissionFixtures.DATA_VOLUME_UID);
        assertThat(JSON.readTree(Base64.getDecoder().decode(response.get("patch").asText()))).isEqualTo(JSON.readTree(
                "[{\"op\":\"add\",\"path\":\"/spec/storage/accessModes\",\"value\":[\"ReadWriteOnce\"]}]"));
        assertThat(stderr()).contains("CREATE DataVolume kubevirt-os-images/fedora-a5e9cbcd3bcb",
                "default virt StorageClass sp-balanced imports golden images ReadWriteOnce");
    }

    @Test
    void printsExactlyWhatTheReviewerAnswers() throws Exception {
        byte[] body = resource(AdmissionFixtures.VOLUME_SNAPSHOT_REVIEW).getBytes(StandardCharsets.UTF_8);
        System.setIn(new ByteArrayInputStream(body));

        int exit = BootSourceCommand.execute("admit", "--cluster", cluster.toString(), "--request", "-");

        assertThat(exit).as(stderr()).isZero();
        byte[] expected = new AdmissionReviewer(AdmissionFixtures.gcpCluster(), AdmissionFixtures.POLICY).review(body).response();
        assertThat(stdout()).isEqualTo(new String(expected, StandardCharsets.UTF_8) + System.lineSeparator());
    }

    @Test
    void aRequestThatIsNotAnAdmissionReviewIsOneLineAndExit2() throws Exception {
        Path request = Files.writeString(dir.resolve("broken.json"), "{\"apiVersion\": \"admission.k8s.io/v1\", \"kind\": \"Admiss");

        int exit = BootSourceCommand.execute("admit", "--cluster", cluster.toString(), "--request", request.toString());

        assertThat(exit).isEqualTo(2);
        assertThat(stdout()).isEmpty();
        assertThat(stderr().lines()).singleElement().asString()
                .startsWith("bootsource: " + request + ": not an AdmissionReview request: the body is not valid JSON");
    }

    @Test
    void aMissingRequestFileIsOneLineAndExit2() {
        int exit = BootSourceCommand.execute("admit", "--cluster", cluster.toString(), "--request", dir.resolve("nope.json").toString());

        assertThat(exit).isEqualTo(2);
        assertThat(stderr().lines()).containsExactly("bootsource: " + dir.resolve("nope.json") + ": no such file");
    }

    @Test
    void webhookNeedsTheCertificateAndKeyTogether() {
        int exit = BootSourceCommand.execute("webhook", "--cluster", cluster.toString(), "--port", "0", "--tls-cert", "tls.crt");

        assertThat(exit).isEqualTo(2);
        assertThat(stderr().lines()).singleElement().asString().contains("give both the TLS certificate and key files");
    }

    @Test
    void webhookRefusesACertificateFileThatDoesNotExist() {
        int exit = BootSourceCommand.execute("webhook", "--cluster", cluster.toString(), "--port", "0",
                "--tls-cert", dir.resolve("tls.crt").toString(), "--tls-key", dir.resolve("tls.key").toString());

        assertThat(exit).isEqualTo(2);
        assertThat(stderr().lines()).containsExactly("bootsource: " + dir.resolve("tls.crt") + ": no such file");
    }

    @Test
    void webhookRefusesABadClusterFileBeforeListening() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "kind: StorageClass\napiVersion: storage.k8s.io/v1\nmetadata: {}\n");

        int exit = BootSourceCommand.execute("webhook", "--cluster", bad.toString(), "--port", "0");

        assertThat(exit).isEqualTo(2);
        assertThat(stderr().lines()).singleElement().asString().contains(bad.toString(), "no metadata.name");
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
