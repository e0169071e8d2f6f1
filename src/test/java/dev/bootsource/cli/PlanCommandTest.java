package dev.bootsource.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * spec §6 {@code plan [-o table|json] FILE...}: what the operator would do to a cluster state, changing
 * nothing, run through the real entry point on the README's examples.
 */
class PlanCommandTest {

    static final Path GCP_HYPERDISK = Path.of("examples/gcp-hyperdisk");
    static final Path MIXED = Path.of("examples/mixed/cluster.yaml");
    static final Path FIXTURES = Path.of("src/test/resources/plan");

    static final String MIN = "cdi.kubevirt.io/minimumSupportedPvcSize";
    static final String RWO = "cdi.kubevirt.io/useReadWriteOnceForBootSources";
    static final String VSC = "cdi.kubevirt.io/snapshotClassForBootSources";

    static final ObjectMapper JSON = new ObjectMapper();

    record Run(int exitCode, String out, String err) {

        JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (IOException e) {
                throw new AssertionError("stdout is not one JSON object:\n" + out, e);
            }
        }

        JsonNode profile(String name) {
            for (JsonNode profile : json().get("storageProfiles")) {
                if (profile.get("name").asText().equals(name)) {
                    return profile;
                }
            }
            throw new AssertionError("no storage profile " + name + " in\n" + out);
        }

        JsonNode golden(String name) {
            for (JsonNode snapshot : json().get("goldenSnapshots")) {
                if (snapshot.get("name").asText().equals(name)) {
                    return snapshot;
                }
            }
            throw new AssertionError("no golden snapshot " + name + " in\n" + out);
        }
    }

    /** Runs {@code bootsource ARGS} as {@code main} would, with its own stdin, stdout and stderr. */
    static Run bootsourceReading(String stdin, String... args) {
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        InputStream originalIn = System.in;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            int code = BootSourceCommand.execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
            System.setIn(originalIn);
        }
    }

    static Run bootsource(String... args) {
        return bootsourceReading("", args);
    }

    /** The leading arguments followed by every file of the GCP Hyperdisk example. */
    static String[] overGcpHyperdisk(String... leading) {
        List<String> all = new ArrayList<>(List.of(leading));
        exampleFiles().forEach(file -> all.add(file.toString()));
        return all.toArray(String[]::new);
    }

    static List<Path> exampleFiles() {
        try (Stream<Path> files = Files.list(GCP_HYPERDISK)) {
            return files.filter(file -> file.toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    static List<String> texts(JsonNode array, String field) {
        List<String> values = new ArrayList<>();
        array.forEach(item -> values.add(item.get(field).asText()));
        return values;
    }

    // --- plan -o json: the spec §6 shape --------------------------------------------------------------

    @Test
    void jsonIsOneObjectWithTheThreeSections() {
        Run run = bootsource(overGcpHyperdisk("plan", "-o", "json"));

        assertThat(run.exitCode()).isZero();
        assertThat(run.err().lines().filter(line -> !line.startsWith("Read from "))).isEmpty();
        assertThat(fieldNames(run.json())).containsExactly("cdi", "storageProfiles", "snapshotClasses", "goldenSnapshots");
        assertThat(run.json().get("storageProfiles").isArray()).isTrue();
        assertThat(run.json().get("snapshotClasses").isArray()).isTrue();
        assertThat(run.json().get("goldenSnapshots").isArray()).isTrue();
    }

    @Test
    void everyProfileHasTheSpecFieldsAndProfilesAreSortedByName() {
        Run run = bootsource(overGcpHyperdisk("plan", "-o", "json"));

        JsonNode profiles = run.json().get("storageProfiles");
        assertThat(texts(profiles, "name")).containsExactly("sp-balanced", "sp-balanced-ha", "standard-rwo");
        profiles.forEach(profile -> {
            assertThat(fieldNames(profile))
                    .containsExactly("name", "provisioner", "provisionerKey", "annotations", "changes", "warnings");
            assertThat(profile.get("annotations").isObject()).isTrue();
            assertThat(profile.get("warnings").isArray()).isTrue();
            profile.get("changes").forEach(change -> {
                assertThat(change.get("op").asText()).isIn("add", "replace", "remove");
                assertThat(change.get("key").asText()).isIn(MIN, RWO, VSC);
                assertThat(change.get("reason").asText()).isNotBlank();
                assertThat(change.has("value")).isEqualTo(!change.get("op").asText().equals("remove"));
            });
        });
    }

    @Test
    void profilesOfTheMixedExampleAreSortedByNameToo() {
        Run run = bootsource("plan", "-o", "json", MIXED.toString());

        List<String> names = texts(run.json().get("storageProfiles"), "name");
        assertThat(names).isSortedAccordingTo(String::compareTo).hasSize(8);
    }

    @Test
    void hyperdiskGoldenImagesGoReadWriteOnceOntoTheImagesClass() {
        JsonNode spBalanced = bootsource(overGcpHyperdisk("plan", "-o", "json")).profile("sp-balanced");

        assertThat(spBalanced.get("provisioner").asText()).isEqualTo("pd.csi.storage.gke.io");
        assertThat(spBalanced.get("provisionerKey").asText()).isEqualTo("pd.csi.storage.gke.io/hyperdisk");
        JsonNode annotations = spBalanced.get("annotations");
        assertThat(annotations.get(MIN).asText()).isEqualTo("4Gi");
        assertThat(annotations.get(RWO).asText()).isEqualTo("true");
        assertThat(annotations.get(VSC).asText()).isEqualTo("cnv-images");
        assertThat(texts(spBalanced.get("changes"), "key")).containsExactlyInAnyOrder(RWO, VSC);
        assertThat(spBalanced.get("warnings")).isEmpty();
    }

    @Test
    void theRegionalClassGetsReadWriteOnceAndAWarningButNoSnapshotClass() {
        JsonNode regional = bootsource(overGcpHyperdisk("plan", "-o", "json")).profile("sp-balanced-ha");

        assertThat(regional.get("annotations").get(RWO).asText()).isEqualTo("true");
        assertThat(regional.get("annotations").has(VSC)).isFalse();
        assertThat(regional.get("warnings")).singleElement()
                .satisfies(warning -> assertThat(warning.asText()).contains("regional"));
    }

    @Test
    void thePlainPdClassSharesTheImagesClass() {
        JsonNode standard = bootsource(overGcpHyperdisk("plan", "-o", "json")).profile("standard-rwo");

        assertThat(standard.get("provisionerKey").asText()).isEqualTo("pd.csi.storage.gke.io");
        assertThat(standard.get("annotations").get(RWO).asText()).isEqualTo("true");
        assertThat(standard.get("annotations").get(VSC).asText()).isEqualTo("cnv-images");
        assertThat(standard.get("annotations").has(MIN)).isFalse();
    }

    @Test
    void anExistingImagesClassMeansNothingToCreate() {
        assertThat(bootsource(overGcpHyperdisk("plan", "-o", "json")).json().get("snapshotClasses")).isEmpty();
    }

    @Test
    void theStaleGoldenSnapshotsAreRecreatedOneAtATime() {
        Run run = bootsource(overGcpHyperdisk("plan", "-o", "json"));

        JsonNode golden = run.json().get("goldenSnapshots");
        assertThat(texts(golden, "name")).containsExactly("centos-stream9-2c1f0e7a9b3d", "fedora-a5e9cbcd3bcb");
        golden.forEach(snapshot -> {
            assertThat(fieldNames(snapshot)).containsSubsequence(
                    "namespace", "name", "dataImportCron", "currentClass", "desiredClass", "op");
            assertThat(snapshot.get("namespace").asText()).isEqualTo("kubevirt-os-images");
            assertThat(snapshot.get("currentClass").asText()).isEqualTo("csi-gce-pd-vsc");
            assertThat(snapshot.get("desiredClass").asText()).isEqualTo("cnv-images");
        });
        JsonNode centos = run.golden("centos-stream9-2c1f0e7a9b3d");
        assertThat(centos.get("dataImportCron").asText()).isEqualTo("centos-stream9-image-cron");
        assertThat(centos.get("op").asText()).isEqualTo("recreate");
        JsonNode fedora = run.golden("fedora-a5e9cbcd3bcb");
        assertThat(fedora.get("op").asText()).isEqualTo("blocked");
        assertThat(fedora.get("reason").asText()).contains("in flight");
    }

    @Test
    void withTwoDeletionsAllowedBothStaleSnapshotsAreRecreated() {
        Run run = bootsource(overGcpHyperdisk("plan", "-o", "json", "--max-snapshot-deletions", "2"));

        assertThat(texts(run.json().get("goldenSnapshots"), "op")).containsExactly("recreate", "recreate");
    }

    @Test
    void dryRunRecreatesNothing() {
        Run run = bootsource(overGcpHyperdisk("plan", "-o", "json", "--golden-snapshots", "dry-run"));

        assertThat(texts(run.json().get("goldenSnapshots"), "op")).containsOnly("blocked");
        assertThat(run.golden("centos-stream9-2c1f0e7a9b3d").get("reason").asText()).contains("dry-run");
    }

    @Test
    void theMixedExampleCreatesOneSharedImagesClass() {
        Run run = bootsource("plan", "-o", "json", MIXED.toString());

        JsonNode classes = run.json().get("snapshotClasses");
        assertThat(classes).singleElement().satisfies(created -> {
            assertThat(created.get("op").asText()).isEqualTo("create");
            assertThat(created.get("name").asText()).isEqualTo("gcp-hyperdisk-images");
            assertThat(created.get("driver").asText()).isEqualTo("pd.csi.storage.gke.io");
            assertThat(fieldNames(created.get("parameters"))).containsExactly("snapshot-type");
            assertThat(created.get("parameters").get("snapshot-type").asText()).isEqualTo("images");
        });
        assertThat(run.profile("gcp-hyperdisk-fast").get("annotations").get(VSC).asText()).isEqualTo("gcp-hyperdisk-images");
        assertThat(run.profile("gcp-pd-optout").get("annotations").has(VSC)).isFalse();
        assertThat(run.profile("gcp-pd-optout").get("changes")).isEmpty();
        assertThat(run.profile("gcp-handset").get("annotations").get(VSC).asText()).isEqualTo("old-images");
        assertThat(run.profile("gcp-upstream-cdi").get("annotations").get(VSC).asText()).isEqualTo("csi-gce-pd-vsc");
        // gcp-upstream-cdi carries CDI's own annotations: CDI v1.65+ manages boot sources and picks the class.
        assertThat(run.json().get("cdi").get("managesBootSources").asBoolean()).isTrue();
        assertThat(run.golden("fedora-7d41c0a2e915").get("op").asText()).isEqualTo("keep");
    }

    @Test
    void withoutAutoCreateNothingIsCreatedAndTheProfilesSayWhy() {
        Run run = bootsource("plan", "-o", "json", "--no-auto-create-snapshot-classes", MIXED.toString());

        assertThat(run.json().get("snapshotClasses")).isEmpty();
        JsonNode hyperdisk = run.profile("gcp-hyperdisk");
        assertThat(hyperdisk.get("annotations").has(VSC)).isFalse();
        assertThat(hyperdisk.get("warnings").toString()).contains("auto-create is off");
    }

    @Test
    void aProvisionerConfigExtendsTheRwoSetWithoutARebuild() {
        Run run = bootsource("plan", "-o", "json", "--config", FIXTURES.resolve("ebs-boot-sources.yaml").toString(),
                MIXED.toString());

        JsonNode gp3 = run.profile("gp3");
        assertThat(gp3.get("annotations").get(RWO).asText()).isEqualTo("true");
        assertThat(gp3.get("annotations").get(VSC).asText()).isEqualTo("gp3-images");
        assertThat(run.json().get("snapshotClasses").toString())
                .contains("\"name\":\"gp3-images\"", "\"driver\":\"ebs.csi.aws.com\"", "\"purpose\":\"golden-images\"");
    }

    // --- plan (table) ----------------------------------------------------------------------------------

    @Test
    void tableEndsWithTheSummaryLine() {
        Run run = bootsource(overGcpHyperdisk("plan"));

        assertThat(run.exitCode()).isZero();
        assertThat(run.err().lines().filter(line -> !line.startsWith("Read from "))).isEmpty();
        assertThat(run.out().strip().lines().reduce((first, second) -> second).orElseThrow()).isEqualTo(
                "Summary: 3 of 3 profile(s) change, 0 snapshot class(es) to create, 1 golden snapshot(s) to recreate, "
                        + "1 warning(s).");
        assertThat(run.out())
                .contains("StorageProfiles (3)")
                .contains("sp-balanced      pd.csi.storage.gke.io/hyperdisk   true   cnv-images")
                .contains("VolumeSnapshotClasses to create (0)")
                .contains("Golden snapshots (2)");
    }

    @Test
    void tableIsTheDefaultAndMatchesExplicitTable() {
        assertThat(bootsource(overGcpHyperdisk("plan")).out()).isEqualTo(bootsource(overGcpHyperdisk("plan", "-o", "table")).out());
    }

    // --- Input ----------------------------------------------------------------------------------------

    @Test
    void aDashReadsTheClusterFromStandardInput() throws IOException {
        StringBuilder stdin = new StringBuilder();
        for (Path file : exampleFiles()) {
            stdin.append("---\n").append(Files.readString(file)).append('\n');
        }

        Run fromStdin = bootsourceReading(stdin.toString(), "plan", "-o", "json", "-");

        assertThat(fromStdin.exitCode()).isZero();
        assertThat(fromStdin.json()).isEqualTo(bootsource(overGcpHyperdisk("plan", "-o", "json")).json());
    }

    @Test
    void planChangesNoFile() throws IOException {
        List<String> before = new ArrayList<>();
        for (Path file : exampleFiles()) {
            before.add(Files.readString(file));
        }

        bootsource(overGcpHyperdisk("plan", "-o", "json"));

        List<String> after = new ArrayList<>();
        for (Path file : exampleFiles()) {
            after.add(Files.readString(file));
        }
        assertThat(after).isEqualTo(before);
    }

    static Stream<Arguments> badInputs() {
        return Stream.of(
                arguments("a file that is not YAML", FIXTURES.resolve("not-yaml.yaml").toString(),
                        List.of("not valid YAML or JSON")),
                arguments("an object without a name", FIXTURES.resolve("nameless-profile.yaml").toString(),
                        List.of("StorageProfile", "metadata.name")),
                arguments("a file that does not exist", FIXTURES.resolve("no-such-file.yaml").toString(),
                        List.of("no such file")),
                arguments("a directory", FIXTURES.toString(), List.of("is a directory")));
    }

    @ParameterizedTest(name = "{0}: exit 2 and one line on stderr naming it")
    @MethodSource("badInputs")
    void badInputExitsTwoWithOneLineNamingTheFile(String behaviour, String file, List<String> mentions) {
        Run run = bootsource(overGcpHyperdisk("plan", "-o", "json", file));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines().filter(line -> !line.startsWith("Read from ")).toList()).singleElement().satisfies(line -> {
            assertThat(line).contains(file);
            mentions.forEach(mention -> assertThat(line).contains(mention));
            assertThat(line).doesNotContain("Exception", "\tat ");
        });
    }

    @Test
    void aBadProvisionerConfigExitsTwoWithOneLine() {
        String config = FIXTURES.resolve("not-a-config.yaml").toString();

        Run run = bootsource(overGcpHyperdisk("plan", "--config", config));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines().filter(line -> !line.startsWith("Read from ")).toList()).singleElement()
                .satisfies(line -> assertThat(line).contains(config, "minimumPVCSize"));
    }

    @Test
    void anUnknownGoldenSnapshotModeExitsTwoWithOneLine() {
        Run run = bootsource(overGcpHyperdisk("plan", "--golden-snapshots", "sometimes"));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().lines().filter(line -> !line.startsWith("Read from ")).toList()).singleElement()
                .satisfies(line -> assertThat(line).contains("sometimes"));
    }

    @Test
    void kubeconfigOptionsWithFilesAreAUsageError() {
        Run run = bootsource("plan", "--context", "prod", "examples/mixed/cluster.yaml");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("--kubeconfig and --context are for reading a live cluster");
    }

    @Test
    void theHelpNamesTheInputShapes() {
        Run run = bootsource("plan", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out().replaceAll("\\s+", " ")).contains("YAML or JSON", "several documents", "kind: List");
    }
}
