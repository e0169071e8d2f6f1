package dev.bootsource.cli;

import dev.bootsource.restore.FakeProvisioner;
import dev.bootsource.restore.RestoreClaims;
import dev.bootsource.restore.RestoreCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

import static dev.bootsource.cli.VerifyCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code restore-test} end to end against the fabric8 mock API server in CRUD mode, reached through a
 * kubeconfig file. No CSI driver runs there: {@link FakeProvisioner} marks the PVCs Bound from a background
 * thread, as a provisioner would.
 */
@EnableKubernetesMockClient(crud = true)
class RestoreTestCommandTest {

    static KubernetesClient client;
    private static final Logger MOCK_SERVER_LOG = RestoreCluster.quietMockServer();
    private static final String NS = "kubevirt-os-images";

    @TempDir
    Path dir;
    private Path kubeconfig;
    private FakeProvisioner provisioner;

    @BeforeEach
    void cluster() throws IOException {
        RestoreCluster.create(client);
        kubeconfig = TestKubeconfig.write(dir, client.getConfiguration().getMasterUrl(), "mock");
    }

    @AfterEach
    void clean() {
        if (provisioner != null) {
            provisioner.stop();
        }
        RestoreCluster.clear(client);
    }

    private String[] args(String... more) {
        List<String> all = new ArrayList<>(List.of("restore-test", "--kubeconfig", kubeconfig.toString(),
                "--poll-interval", "40ms", "--run-id", "cli", "--yes"));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    @Test
    void allBoundExitsZeroWithProgressSummaryAndCleanup() {
        provisioner = FakeProvisioner.binding(client, name -> true);

        VerifyCommandTest.Run run = run(args("--image", NS + "/fedora", "--count", "8"));

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out())
                .contains("Golden image: DataSource " + NS + "/fedora -> VolumeSnapshot " + NS + "/fedora-a5e9cbcd3bcb")
                .contains("Restoring 8 PVC(s) into namespace " + NS)
                .contains("Restore test cli: 8 PVC(s) from VolumeSnapshot " + NS + "/fedora-a5e9cbcd3bcb (class sp-balanced-images)")
                .containsPattern("restore-test-cli-01 +Bound +[0-9.]+(ms|s)")
                .contains("Bound: 8 of 8 in")
                .contains("time to Bound: fastest")
                .contains("Cleanup: deleted 8 PVC(s)")
                .contains("Result: PASS: 8 restore(s) of one golden image Bound within")
                .contains("more than the 6 an hour a ReadWriteMany snapshot allows");
        assertThat(run.err()).contains("Bound").contains("8/8");
        assertThat(client.persistentVolumeClaims().inNamespace(NS).withLabel(RestoreClaims.RUN_LABEL).list().getItems()).isEmpty();
    }

    @Test
    void timeoutExitsThreeAndSaysWhatDidNotBind() {
        provisioner = FakeProvisioner.binding(client, name -> name.endsWith("-01"));

        VerifyCommandTest.Run run = run(args("--image", NS + "/fedora", "--count", "2", "--timeout", "600ms"));

        assertThat(run.exitCode()).isEqualTo(RestoreTestCommand.NOT_ALL_BOUND);
        assertThat(run.out())
                .contains("Not Bound (1):")
                .contains("restore-test-cli-02: Pending after the 600ms timeout")
                .contains("no events or conditions yet")
                .contains("Result: FAIL: 1 of 2 Bound within the 600ms timeout");
        assertThat(client.persistentVolumeClaims().inNamespace(NS).withLabel(RestoreClaims.RUN_LABEL).list().getItems()).isEmpty();
    }

    @Test
    void keepLeavesThePvcsAndSaysHowToDeleteThem() {
        provisioner = FakeProvisioner.binding(client, name -> true);
        VerifyCommandTest.Run run = run(args("--image", NS + "/fedora", "--count", "2", "--keep"));
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("kept the PVCs (--keep); delete them with: kubectl delete pvc -n " + NS
                + " -l bootsource.dev/restore-test=cli");
        assertThat(run.out()).contains("restore more than 6 (--count) to show the 6-an-hour limit is gone");
        assertThat(client.persistentVolumeClaims().inNamespace(NS).withLabel(RestoreClaims.RUN_LABEL, "cli").list().getItems()).hasSize(2);
    }

    @Test
    void unknownImageExitsTwoWithOneLine() {
        VerifyCommandTest.Run run = run(args("--image", NS + "/nope"));
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().strip()).isEqualTo("bootsource: no DataSource or VolumeSnapshot " + NS + "/nope in the cluster");
    }

    @ParameterizedTest(name = "{0} exits 2: {1}")
    @CsvSource(delimiter = '|', value = {
            "--image fedora | --image must be NAMESPACE/NAME of a DataSource or VolumeSnapshot, got 'fedora'",
            "--image ns/fedora --count 0 | --count must be between 1 and 500, got 0",
            "--image ns/fedora --timeout soon | 'soon' is not a duration; use e.g. 90s, 5m, 1h30m or PT5M",
            "--image ns/fedora --kubeconfig /no/such/kubeconfig | /no/such/kubeconfig: no such kubeconfig file"})
    void badInputExitsTwoWithOneLineBeforeTouchingTheCluster(String arguments, String message) {
        List<String> all = new ArrayList<>(List.of("restore-test"));
        all.addAll(List.of(arguments.split(" ")));
        VerifyCommandTest.Run run = run(all.toArray(String[]::new));
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().strip()).isEqualTo("bootsource: " + message);
        assertThat(client.persistentVolumeClaims().inAnyNamespace().list().getItems()).isEmpty();
    }

    @Test
    void unreachableClusterExitsOneWithOneLineNamingIt() throws IOException {
        Path closed = dir.resolve("closed-kubeconfig");
        Files.writeString(closed, Files.readString(kubeconfig).replace(client.getConfiguration().getMasterUrl(),
                "http://127.0.0.1:1/"));
        VerifyCommandTest.Run run = run("restore-test", "--kubeconfig", closed.toString(), "--image", NS + "/fedora");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().lines().filter(line -> line.startsWith("bootsource: "))).singleElement()
                .asString().startsWith("bootsource: cluster http://127.0.0.1:1/: ");
    }

    @Test
    void aDryRunSaysWhatItWouldCreateAndCreatesNothing() {
        VerifyCommandTest.Run run = run("restore-test", "--kubeconfig", kubeconfig.toString(), "--image", NS + "/fedora",
                "--count", "10", "--dry-run");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Dry run: would create 10 PVC(s) of ").contains(" on StorageClass ")
                .contains("Nothing created.");
        assertThat(client.persistentVolumeClaims().inAnyNamespace().list().getItems()).isEmpty();
    }

    @Test
    void withoutYesItAsksAndANoCreatesNothing() {
        java.io.InputStream stdin = System.in;
        try {
            System.setIn(new java.io.ByteArrayInputStream("n\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            VerifyCommandTest.Run run = run("restore-test", "--kubeconfig", kubeconfig.toString(), "--image", NS + "/fedora");
            assertThat(run.exitCode()).isEqualTo(RestoreTestCommand.NOT_CONFIRMED);
            assertThat(run.out()).contains("Will create 10 PVC(s) of").contains("Create them? [y/N]").contains("Nothing created.");
        } finally {
            System.setIn(stdin);
        }
        assertThat(client.persistentVolumeClaims().inAnyNamespace().list().getItems()).isEmpty();
    }

    @Test
    void anUnknownContextIsAnErrorNamingItBeforeAnythingIsCreated() {
        VerifyCommandTest.Run run = run("restore-test", "--kubeconfig", kubeconfig.toString(), "--context", "stagin",
                "--image", NS + "/fedora", "--yes");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().strip()).isEqualTo("bootsource: context 'stagin' is not in the kubeconfig " + kubeconfig + "; it has: mock");
        assertThat(client.persistentVolumeClaims().inAnyNamespace().list().getItems()).isEmpty();
    }

    @Test
    void missingImageIsAUsageError() {
        VerifyCommandTest.Run run = run("restore-test");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Missing required option: '--image=NAMESPACE/NAME'");
    }

    @Test
    void helpListsTheExitCodes() {
        VerifyCommandTest.Run run = run("restore-test", "--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Exit codes:").contains("3     some PVCs were not Bound")
                .doesNotContain("--poll-interval").doesNotContain("--run-id");
    }
}
