package dev.bootsource.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class VerifyCommandTest {

    private static final Path READY = Path.of("src/test/resources/verify/gcp-ready.yaml");
    private static final Path MALFORMED = Path.of("src/test/resources/verify/malformed.yaml");

    record Run(int exitCode, String out, String err) {
    }

    static Run run(String... args) {
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = BootSourceCommand.execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
    }

    private static String[] args(String... leading) throws IOException {
        List<String> all = new ArrayList<>(List.of(leading));
        try (var files = Files.list(Path.of("examples/gcp-hyperdisk"))) {
            files.sorted().forEach(file -> all.add(file.toString()));
        }
        return all.toArray(String[]::new);
    }

    @Test
    void completeSetUpPassesWithExitZero() {
        Run run = run("verify", READY.toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .contains("kubevirt-os-images/fedora-image-cron   sp-balanced     default virt class   yes          sp-balanced-images")
                .contains("PASS     VolumeSnapshot kubevirt-os-images/fedora-a5e9cbcd3bcb   snapshot class")
                .contains("Summary: 7 passed, 1 warning(s), 0 failed: PASS")
                .contains("no DataVolume or PVC restored from a golden image in the input");
        assertThat(run.err().lines().filter(line -> !line.startsWith("Read from "))).isEmpty();
    }

    @Test
    void gcpExampleBeforeTheWorkaroundFailsWithExitThreeAndSaysWhy() throws IOException {
        Run run = run(args("verify"));
        assertThat(run.exitCode()).isEqualTo(VerifyCommand.CHECK_FAILED);
        assertThat(run.out())
                .contains("FAIL VolumeSnapshot kubevirt-os-images/centos-stream9-2c1f0e7a9b3d: taken with csi-gce-pd-vsc, "
                        + "but StorageClass sp-balanced calls for cnv-images")
                .contains("FAIL StorageProfile sp-balanced: pending: add cdi.kubevirt.io/useReadWriteOnceForBootSources=true")
                .contains("PASS     PersistentVolumeClaim kubevirt-os-images/fedora-a5e9cbcd3bcb   access modes")
                .contains("failed: FAIL");
    }

    @Test
    void jsonReportsEveryCheckWithItsReason() throws IOException {
        Run run = run(args("verify", "-o", "json"));
        assertThat(run.exitCode()).isEqualTo(VerifyCommand.CHECK_FAILED);
        JsonNode report = new ObjectMapper().readTree(run.out());
        assertThat(report.get("result").asText()).isEqualTo("fail");
        // the profiles of classes no golden image uses are warnings, not failures
        assertThat(report.get("summary").get("fail").asInt()).isEqualTo(3);
        assertThat(report.get("dataImportCrons")).hasSize(2);
        assertThat(report.get("dataImportCrons").get(0).get("snapshotClass").asText()).isEqualTo("cnv-images");
        JsonNode first = report.get("checks").get(0);
        assertThat(first.get("area").asText()).isEqualTo("data-import-crons");
        assertThat(first.get("reason").asText()).contains("imports onto StorageClass sp-balanced");
    }

    @Test
    void mixedExampleFailsOnTheMissingDefaultSnapshotClass() {
        Run run = run("verify", "examples/mixed/cluster.yaml");
        assertThat(run.exitCode()).isEqualTo(VerifyCommand.CHECK_FAILED);
        assertThat(run.out()).contains("FAIL default VolumeSnapshotClass for pd.csi.storage.gke.io: no regular "
                + "VolumeSnapshotClass of driver pd.csi.storage.gke.io is the default");
    }

    @Test
    void standardInputIsReadOnce() throws IOException {
        var originalIn = System.in;
        try {
            System.setIn(Files.newInputStream(READY));
            Run run = run("verify", "-");
            assertThat(run.exitCode()).isZero();
            assertThat(run.out()).contains("fedora-image-cron");
        } finally {
            System.setIn(originalIn);
        }
    }

    @Test
    void malformedInputExitsTwoWithOneLineNamingTheFile() {
        Run run = run("verify", MALFORMED.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines().filter(line -> !line.startsWith("Read from "))).hasSize(1);
        assertThat(run.err()).startsWith("bootsource: " + MALFORMED).contains("StorageClass broken");
    }

    @Test
    void missingFileExitsTwo(@TempDir Path dir) {
        Run run = run("verify", dir.resolve("nope.yaml").toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().strip()).isEqualTo("bootsource: " + dir.resolve("nope.yaml") + ": no such file");
    }

    @Test
    void anEmptyFileIsNotAPass() throws IOException {
        Path empty = Files.createTempFile("empty", ".yaml");
        Run run = run("verify", empty.toString());
        assertThat(run.exitCode()).isEqualTo(VerifyCommand.CHECK_FAILED);
        assertThat(run.out()).contains("FAIL StorageClasses: none were read").contains("FAIL DataImportCrons: none were read")
                .doesNotContain(": PASS");
        Files.delete(empty);
    }

    @Test
    void helpListsTheExitCodes() {
        Run run = run("verify", "--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Exit codes:").contains("3   at least one check failed");
    }
}
