package dev.bootsource.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.bootsource.input.ClusterFileReader;
import dev.bootsource.cluster.ClusterSnapshot;
import dev.bootsource.cluster.KubernetesObjects;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.bootsource.cli.VerifyCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

class WorkaroundCommandTest {

    private static final String BEFORE = "src/test/resources/verify/gcp-before-workaround.yaml";
    private static final String MALFORMED = "src/test/resources/verify/malformed.yaml";

    @Test
    void outputIsValidMultiDocumentYamlTheProjectReadsBack() throws IOException {
        VerifyCommandTest.Run run = run("workaround", BEFORE);
        assertThat(run.exitCode()).isZero();
        assertThat(run.err().lines().filter(line -> !line.startsWith("Read from "))).isEmpty();

        List<JsonNode> documents = new ArrayList<>();
        try (MappingIterator<JsonNode> it = new ObjectMapper(new YAMLFactory()).readerFor(JsonNode.class).readValues(run.out())) {
            while (it.hasNextValue()) {
                JsonNode document = it.nextValue();
                if (document != null && !document.isNull() && !document.isMissingNode()) {
                    documents.add(document);
                }
            }
        }
        assertThat(documents).extracting(d -> d.path("kind").asText() + "/" + d.path("metadata").path("name").asText())
                .containsExactly(
                        "VolumeSnapshotClass/sp-balanced-images",
                        "StorageProfile/sp-balanced",
                        "StorageClass/sp-balanced-images",
                        "StorageProfile/sp-balanced-images",
                        "HyperConverged/kubevirt-hyperconverged");
        assertThat(KubernetesObjects.split(run.out(), "workaround output")).hasSize(5);

        ClusterFileReader reader = new ClusterFileReader();
        reader.add(run.out(), "workaround output");
        ClusterSnapshot applied = reader.snapshot();
        assertThat(applied.storageClass("sp-balanced-images")).isPresent();
        assertThat(applied.volumeSnapshotClasses()).extracting(vsc -> vsc.getMetadata().getName()).containsExactly("sp-balanced-images");
        assertThat(applied.storageProfile("sp-balanced").orElseThrow().getMetadata().getAnnotations())
                .containsEntry("cdi.kubevirt.io/useReadWriteOnceForBootSources", "true");
    }

    @Test
    void everyDocumentSaysWhatItIsForAndStepsTwoAndSixAreComments() {
        String out = run("workaround", BEFORE).out();
        String[] documents = out.split("(?m)^---$");
        assertThat(documents[0]).contains("# Before you apply:")
                .contains("# Step 2: VolumeSnapshotClass csi-gce-pd-vsc is the default");
        for (int i = 1; i < documents.length; i++) {
            assertThat(documents[i].strip()).as("document %d", i).startsWith("#");
        }
        assertThat(out).contains("# step 1 of the manual GCP workaround: StorageClass sp-balanced-images")
                .contains("# step 3 of the manual GCP workaround: VolumeSnapshotClass sp-balanced-images")
                .contains("# step 4 of the manual GCP workaround: the StorageProfile of sp-balanced-images")
                .contains("# step 5 of the manual GCP workaround: the DataImportCron templates")
                .contains("#   kubectl delete volumesnapshot -n kubevirt-os-images fedora-a5e9cbcd3bcb")
                .contains("cdi.kubevirt.io/useReadWriteOnceForBootSources: \"true\"")
                .doesNotContain("bootsource.dev/managed-annotations");
    }

    @Test
    void gcpExampleReusesItsImagesSnapshotClass() throws IOException {
        List<String> args = new ArrayList<>(List.of("workaround", "--namespace", "openshift-cnv"));
        try (var files = Files.list(Path.of("examples/gcp-hyperdisk"))) {
            files.sorted().forEach(file -> args.add(file.toString()));
        }
        VerifyCommandTest.Run run = run(args.toArray(String[]::new));
        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .contains("# Step 3: no VolumeSnapshotClass to create: the boot-source class(es) cnv-images exist already")
                .contains("  snapshotClass: cnv-images")
                .contains("  namespace: openshift-cnv")
                .doesNotContain("kind: VolumeSnapshotClass");
    }

    @Test
    void withoutTheImagesStorageClassOnlyAnnotationsAndSnapshotClassesArePrinted() {
        String out = run("workaround", "--no-images-storage-class", BEFORE).out();
        assertThat(out).contains("kind: VolumeSnapshotClass").contains("kind: StorageProfile")
                .doesNotContain("kind: StorageClass").doesNotContain("kind: HyperConverged");
    }

    @Test
    void unknownStorageClassExitsTwoWithOneLine() {
        VerifyCommandTest.Run run = run("workaround", "--storage-class", "nope", BEFORE);
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines().filter(line -> line.startsWith("bootsource: ")))
                .containsExactly("bootsource: StorageClass nope (--storage-class) is not in the input");
    }

    @Test
    void malformedInputExitsTwoWithOneLineNamingTheFile() {
        VerifyCommandTest.Run run = run("workaround", MALFORMED);
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines().filter(line -> !line.startsWith("Read from "))).hasSize(1);
        assertThat(run.err()).startsWith("bootsource: " + MALFORMED);
    }

    @Test
    void stateThatNeedsNothingSaysSo() {
        String out = run("workaround", "--no-images-storage-class", "src/test/resources/verify/gcp-ready.yaml").out();
        assertThat(out).contains("# Nothing to apply").doesNotContain("apiVersion:");
    }
}
