package dev.bootsource.input;

import dev.bootsource.cluster.ClusterSnapshot;
import dev.bootsource.cluster.ClusterInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * spec §6: FILE inputs are Kubernetes objects in YAML or JSON, as one object, several YAML documents, or
 * a {@code kind: List}; bad input gives a clear error naming the file and the object.
 * Fixtures are in {@code src/test/resources/cluster/}.
 */
class ClusterFileReaderTest {

    static final Path FIXTURES = Path.of("src/test/resources/cluster");
    static final Path BAD = FIXTURES.resolve("bad");

    static ClusterSnapshot read(String... fixtures) {
        return ClusterFileReader.read(Stream.of(fixtures).map(FIXTURES::resolve).toList());
    }

    static List<String> names(Collection<? extends io.fabric8.kubernetes.api.model.HasMetadata> objects) {
        return objects.stream().map(o -> o.getMetadata().getName()).sorted().toList();
    }

    // --- The input shapes ------------------------------------------------------------------------------

    @ParameterizedTest(name = "one object: {0}")
    @ValueSource(strings = {"single-object.yaml", "single-object.json"})
    void oneObjectIsRead(String fixture) {
        ClusterSnapshot cluster = read(fixture);

        assertThat(names(cluster.storageClasses())).containsExactly("sp-balanced");
        assertThat(cluster.storageClass("sp-balanced")).hasValueSatisfying(sc -> {
            assertThat(sc.getProvisioner()).isEqualTo("pd.csi.storage.gke.io");
            assertThat(sc.getParameters()).containsEntry("type", "hyperdisk-balanced");
            assertThat(sc.getMetadata().getCreationTimestamp()).isEqualTo("2026-10-01T09:00:00Z");
            assertThat(sc.getMetadata().getAnnotations()).containsEntry("storageclass.kubevirt.io/is-default-virt-class", "true");
        });
    }

    @Test
    void severalYamlDocumentsAreReadOneObjectEach() {
        ClusterSnapshot cluster = read("multi-document.yaml");

        assertThat(names(cluster.storageClasses())).containsExactly("sp-balanced");
        assertThat(names(cluster.volumeSnapshotClasses())).containsExactly("cnv-images");
        assertThat(cluster.volumeSnapshotClasses()).singleElement()
                .satisfies(vsc -> assertThat(vsc.parametersOrEmpty()).containsEntry("snapshot-type", "images"));
        assertThat(cluster.storageProfile("sp-balanced")).hasValueSatisfying(profile ->
                assertThat(profile.getMetadata().getAnnotations()).containsEntry("cdi.kubevirt.io/minimumSupportedPvcSize", "4Gi"));
        assertThat(cluster.dataImportCron("kubevirt-os-images", "fedora-image-cron")).hasValueSatisfying(cron -> {
            assertThat(cron.isUpToDate()).isTrue();
            assertThat(cron.templateStorageClassName()).hasValue("sp-balanced");
        });
        assertThat(cluster.dataImportCronSnapshots()).singleElement().satisfies(snapshot -> {
            assertThat(snapshot.snapshotClassName()).hasValue("csi-gce-pd-vsc");
            assertThat(snapshot.isReadyToUse()).isTrue();
        });
        assertThat(cluster.persistentVolumeClaim("kubevirt-os-images", "fedora-a5e9cbcd3bcb")).isPresent();
    }

    @ParameterizedTest(name = "kind: List: {0}")
    @ValueSource(strings = {"list.yaml", "list.json"})
    void aListIsReadItemByItem(String fixture) {
        ClusterSnapshot cluster = read(fixture);

        assertThat(names(cluster.storageClasses())).containsExactly("sp-balanced");
        assertThat(names(cluster.volumeSnapshotClasses())).containsExactly("cnv-images");
    }

    @Test
    void typedAndNestedListsAreFlattened() {
        assertThat(names(read("typed-and-nested-lists.yaml").storageClasses())).containsExactly("sp-balanced", "standard");
    }

    @Test
    void theThreeShapesGiveTheSameState() {
        ClusterSnapshot single = read("single-object.yaml");
        ClusterSnapshot documents = read("multi-document.yaml");
        ClusterSnapshot list = read("list.yaml");

        assertThat(names(single.storageClasses()))
                .isEqualTo(names(documents.storageClasses()))
                .isEqualTo(names(list.storageClasses()));
        assertThat(list.storageClass("sp-balanced").orElseThrow().getParameters())
                .isEqualTo(documents.storageClass("sp-balanced").orElseThrow().getParameters());
    }

    @Test
    void severalFilesAddUp() {
        ClusterSnapshot cluster = ClusterFileReader.read(List.of(
                Path.of("examples/gcp-hyperdisk/storageclasses.yaml"),
                Path.of("examples/gcp-hyperdisk/storageprofiles.yaml"),
                Path.of("examples/gcp-hyperdisk/volumesnapshotclasses.yaml"),
                Path.of("examples/gcp-hyperdisk/golden-images.yaml")));

        assertThat(names(cluster.storageClasses())).containsExactly("sp-balanced", "sp-balanced-ha", "standard-rwo");
        assertThat(names(cluster.volumeSnapshotClasses())).containsExactly("cnv-images", "csi-gce-pd-vsc");
        assertThat(cluster.storageProfile("sp-balanced-ha")).isPresent();
        assertThat(cluster.dataImportCron("kubevirt-os-images", "centos-stream9-image-cron")).isPresent();
        assertThat(names(cluster.dataImportCronSnapshots()))
                .containsExactly("centos-stream9-2c1f0e7a9b3d", "fedora-a5e9cbcd3bcb");
    }

    @Test
    void kindsBootSourceDoesNotUseAreSkipped() {
        ClusterSnapshot cluster = read("unknown-kinds.yaml");

        assertThat(names(cluster.storageClasses())).containsExactly("sp-balanced");
    }

    @Test
    void aNamespacedObjectWithoutANamespaceIsInDefault() {
        ClusterSnapshot cluster = read("default-namespace.yaml");

        assertThat(cluster.dataImportCron("default", "fedora-image-cron")).isPresent();
        assertThat(cluster.dataImportCronSnapshots()).singleElement()
                .satisfies(snapshot -> assertThat(snapshot.getMetadata().getNamespace()).isEqualTo("default"));
    }

    @Test
    void aFileWithoutObjectsIsAnEmptyState() {
        ClusterSnapshot cluster = read("empty.yaml");

        assertThat(cluster.storageClasses()).isEmpty();
        assertThat(cluster.volumeSnapshotClasses()).isEmpty();
        assertThat(cluster.dataImportCronSnapshots()).isEmpty();
    }

    @Test
    void aDashReadsStandardInput() throws Exception {
        InputStream original = System.in;
        try {
            System.setIn(new ByteArrayInputStream(Files.readAllBytes(FIXTURES.resolve("list.yaml"))));

            ClusterSnapshot cluster = ClusterFileReader.read(List.of(Path.of("-")));

            assertThat(names(cluster.storageClasses())).containsExactly("sp-balanced");
        } finally {
            System.setIn(original);
        }
    }

    @Test
    void textFromElsewhereIsNamedAsGiven() {
        ClusterFileReader reader = new ClusterFileReader();
        reader.add(new String(readBytes(FIXTURES.resolve("single-object.json")), StandardCharsets.UTF_8), "ConfigMap bootsource/state");

        assertThat(names(reader.snapshot().storageClasses())).containsExactly("sp-balanced");
        assertThatThrownBy(() -> reader.add("apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {}\n",
                "ConfigMap bootsource/state"))
                .isInstanceOf(ClusterInputException.class)
                .hasMessageStartingWith("ConfigMap bootsource/state: ");
    }

    // --- Bad input: one line naming the file and, where there is one, the object -----------------------

    static Stream<Arguments> badInputs() {
        return Stream.of(
                arguments("a file that is not YAML or JSON", BAD.resolve("unparsable.yaml"), List.of("not valid YAML or JSON at line 5")),
                arguments("an object without kind", BAD.resolve("no-kind.yaml"), List.of("sp-balanced", "has no kind")),
                arguments("an object without metadata.name", BAD.resolve("no-name.yaml"),
                        List.of("StorageClass", "has no metadata.name")),
                arguments("a field of the wrong type (StorageClass parameters as a list)", BAD.resolve("wrong-type.yaml"),
                        List.of("StorageClass sp-balanced", "field parameters")),
                arguments("a field of the wrong type (VolumeSnapshot readyToUse not a boolean)",
                        BAD.resolve("wrong-type-in-snapshot.yaml"),
                        List.of("VolumeSnapshot kubevirt-os-images/fedora-1", "field status.readyToUse")),
                arguments("a document that is not an object", BAD.resolve("not-an-object.yaml"),
                        List.of("document 2", "not a Kubernetes object")),
                arguments("a List whose items are not a list", BAD.resolve("items-not-a-list.yaml"),
                        List.of("List", "not a list")),
                arguments("a file that does not exist", FIXTURES.resolve("no-such-file.yaml"), List.of("no such file")),
                arguments("a directory", FIXTURES, List.of("is a directory")));
    }

    @ParameterizedTest(name = "{0} is an error naming the file and the object")
    @MethodSource("badInputs")
    void badInputIsOneLineNamingTheFileAndTheObject(String behaviour, Path file, List<String> mentions) {
        assertThatThrownBy(() -> ClusterFileReader.read(List.of(FIXTURES.resolve("single-object.yaml"), file)))
                .isInstanceOf(ClusterInputException.class)
                .satisfies(e -> {
                    String message = e.getMessage();
                    assertThat(message).as("one line").doesNotContain("\n");
                    assertThat(message).as("names the file").startsWith(file + ": ");
                    mentions.forEach(mention -> assertThat(message).contains(mention));
                });
    }

    private static byte[] readBytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
