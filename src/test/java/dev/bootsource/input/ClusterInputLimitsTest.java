package dev.bootsource.input;

import dev.bootsource.cluster.ClusterInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Input as a real cluster dump gives it: any size, the same object twice, and the files people pass by
 * mistake (templates, aliases, other encodings, binaries), each refused in one line that says what to do.
 */
class ClusterInputLimitsTest {

    @TempDir
    Path dir;

    private static final String PVC = """
              - apiVersion: v1
                kind: PersistentVolumeClaim
                metadata:
                  name: disk-%1$06d
                  namespace: vms
                  annotations:
                    note: "%2$s"
                spec:
                  accessModes: [ReadWriteMany]
                  storageClassName: sp-balanced
            """;

    private Path list(String name, long bytes) throws IOException {
        String padding = "x".repeat(400);
        StringBuilder text = new StringBuilder("apiVersion: v1\nkind: List\nitems:\n");
        int i = 0;
        while (text.length() < bytes) {
            text.append(PVC.formatted(i++, padding));
        }
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    @Test
    void aFourMebibyteListIsRead() throws IOException {
        Path file = list("4mib.yaml", 4L << 20);
        ClusterFileReader reader = ClusterFileReader.readAll(List.of(file));
        assertThat(reader.snapshot().persistentVolumeClaims()).hasSizeGreaterThan(5000);
        assertThat(reader.counts()).containsEntry("PersistentVolumeClaim", reader.snapshot().persistentVolumeClaims().size());
    }

    @Test
    void aFiftyMebibyteDumpIsRead() throws IOException {
        Path file = list("50mib.yaml", 50L << 20);
        assertThat(Files.size(file)).isGreaterThanOrEqualTo(50L << 20);
        assertThat(ClusterFileReader.read(List.of(file)).persistentVolumeClaims()).hasSizeGreaterThan(70_000);
    }

    private static final String SC = """
            apiVersion: storage.k8s.io/v1
            kind: StorageClass
            metadata:
              name: sp-balanced
            provisioner: %s
            """;

    @Test
    void theSameObjectWithOtherContentTwiceIsAnErrorNamingBothSources() throws IOException {
        Files.writeString(dir.resolve("a.yaml"), SC.formatted("pd.csi.storage.gke.io"));
        Files.writeString(dir.resolve("b.yaml"), "apiVersion: v1\nkind: List\nitems:\n- " + SC.formatted("other.csi")
                .replace("\n", "\n  ").strip() + "\n");
        assertThatThrownBy(() -> ClusterFileReader.read(List.of(dir.resolve("a.yaml"), dir.resolve("b.yaml"))))
                .isInstanceOf(ClusterInputException.class)
                .hasMessage("StorageClass sp-balanced is read twice with different content: " + dir.resolve("a.yaml")
                        + " (document 1) and " + dir.resolve("b.yaml") + " (document 1, item 1); pass one dump of each object");
    }

    @Test
    void theSameObjectTwiceUnchangedIsAWarningNamingBothSources() throws IOException {
        Files.writeString(dir.resolve("a.yaml"), SC.formatted("pd.csi.storage.gke.io") + "---\n" + SC.formatted("pd.csi.storage.gke.io"));
        ClusterFileReader reader = ClusterFileReader.readAll(List.of(dir.resolve("a.yaml")));
        assertThat(reader.snapshot().storageClasses()).hasSize(1);
        assertThat(reader.warnings()).containsExactly("StorageClass sp-balanced is read twice, the same both times: "
                + dir.resolve("a.yaml") + " (document 1) and " + dir.resolve("a.yaml") + " (document 2); the first is used");
    }

    @Test
    void theSameObjectWithKeysInAnotherOrderIsTheSame() throws IOException {
        Files.writeString(dir.resolve("a.yaml"), SC.formatted("pd.csi.storage.gke.io") + "parameters: {type: a, iops: '3000'}\n");
        Files.writeString(dir.resolve("b.yaml"), """
                apiVersion: v1
                items:
                - parameters: {iops: '3000', type: a}
                  provisioner: pd.csi.storage.gke.io
                  metadata:
                    managedFields: [{manager: kubectl}]
                    name: sp-balanced
                  kind: StorageClass
                  apiVersion: storage.k8s.io/v1
                kind: List
                """);
        ClusterFileReader reader = ClusterFileReader.readAll(List.of(dir.resolve("a.yaml"), dir.resolve("b.yaml")));
        assertThat(reader.snapshot().storageClasses()).hasSize(1);
        assertThat(reader.warnings()).containsExactly("StorageClass sp-balanced is read twice, the same both times: "
                + dir.resolve("a.yaml") + " (document 1) and " + dir.resolve("b.yaml") + " (document 1, item 1); the first is used");
    }

    @Test
    void theSameObjectWithAValueOfAnotherTypeIsDifferent() throws IOException {
        Files.writeString(dir.resolve("a.yaml"), SC.formatted("p") + "parameters: {iops: '3000'}\n---\n"
                + SC.formatted("p") + "parameters: {iops: 3000}\n");
        assertThatThrownBy(() -> ClusterFileReader.read(List.of(dir.resolve("a.yaml"))))
                .isInstanceOf(ClusterInputException.class)
                .hasMessage("StorageClass sp-balanced is read twice with different content: " + dir.resolve("a.yaml")
                        + " (document 1) and " + dir.resolve("a.yaml") + " (document 2); pass one dump of each object");
    }

    @Test
    void aFileThatDoesNotParseIsReportedSoEvenAfterAnUnusableObject() throws IOException {
        Files.writeString(dir.resolve("a.yaml"), "kind: StorageClass\napiVersion: storage.k8s.io/v1\nmetadata: {}\n---\n"
                + "kind: [\n");
        assertThatThrownBy(() -> ClusterFileReader.read(List.of(dir.resolve("a.yaml"))))
                .isInstanceOf(ClusterInputException.class)
                .hasMessageStartingWith(dir.resolve("a.yaml") + ": not valid YAML or JSON at line");
    }

    @Test
    void aTextThatCannotBeUsedAddsNothing() {
        ClusterFileReader reader = new ClusterFileReader();
        reader.add(SC.formatted("pd.csi.storage.gke.io"), "first");
        assertThatThrownBy(() -> reader.add("kind: List\nitems:\n- " + SC.formatted("other.csi").replace("sp-balanced", "other")
                .replace("\n", "\n  ").strip() + "\n- {apiVersion: storage.k8s.io/v1, kind: StorageClass, metadata: {}}\n", "second"))
                .isInstanceOf(ClusterInputException.class)
                .hasMessage("second: StorageClass (no name): object has no metadata.name");
        assertThat(reader.snapshot().storageClasses()).map(sc -> sc.getMetadata().getName()).containsExactly("sp-balanced");
        assertThat(reader.counts()).containsEntry("StorageClass", 1);
    }

    @Test
    void aListPrintedByKubectlIsReadOneItemAtATimeAndNamedByItem() throws IOException {
        StringBuilder text = new StringBuilder("apiVersion: v1\nitems:\n");
        for (int i = 0; i < 3; i++) {
            text.append("- ").append(SC.formatted("p").replace("sp-balanced", "sc-" + i).replace("\n", "\n  ").strip()).append('\n');
        }
        text.append("- ").append(SC.formatted("q").replace("sp-balanced", "sc-1").replace("\n", "\n  ").strip()).append('\n');
        text.append("kind: List\nmetadata:\n  resourceVersion: \"\"\n");
        Files.writeString(dir.resolve("dump.yaml"), text);
        assertThatThrownBy(() -> ClusterFileReader.read(List.of(dir.resolve("dump.yaml"))))
                .isInstanceOf(ClusterInputException.class)
                .hasMessage("StorageClass sc-1 is read twice with different content: " + dir.resolve("dump.yaml")
                        + " (document 1, item 2) and " + dir.resolve("dump.yaml") + " (document 1, item 4); pass one dump of each object");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "a Helm template | 6b696e643a2053746f72616765436c6173730a6d657461646174613a0a20206e616d653a207b7b202e56616c7565732e6e616d65207d7d0a | looks like a template ({{ ... }} at line 3), not Kubernetes objects; render it first",
            "a YAML alias | 6b696e643a2053746f72616765436c6173730a6d657461646174613a0a20206e616d653a202661206f6e650a706172616d65746572733a0a2020783a202a610a | YAML alias *a at line 5: aliases and anchors are not supported",
            "Latin-1 text | 6b696e643a2053746f72616765436c6173730a6d657461646174613a0a20206e616d653a2063616ee90a | not UTF-8 text (byte 0xE9 at line 3); save it as UTF-8",
            "UTF-16 text | fffe6b00 | UTF-16 text; save it as UTF-8",
            "a gzip file | 1f8b0800000000000003 | a gzip file, not text",
            "a binary file | 7f454c4602010100000000 | a binary file (byte 0 at offset 7)"})
    void filesThatAreNotObjectsAreRefusedInOneLine(String what, String hex, String message) throws IOException {
        Path file = dir.resolve("input");
        Files.write(file, HexFormat.of().parseHex(hex));
        assertThatThrownBy(() -> ClusterFileReader.read(List.of(file)))
                .isInstanceOf(ClusterInputException.class)
                .hasMessageStartingWith(file + ": " + message)
                .message().doesNotContain("\n").doesNotContain("Exception").doesNotContain("snakeyaml").doesNotContain("jackson");
    }

    @Test
    void utf8BeyondAsciiIsReadAndABadByteFarInIsFoundByLine() throws IOException {
        String note = "é\uD83D\uDE00".repeat(5000);
        Path file = dir.resolve("utf8.yaml");
        Files.writeString(file, SC.formatted("pd.csi.storage.gke.io") + "parameters: {note: \"" + note + "\"}\n");
        assertThat(ClusterFileReader.read(List.of(file)).storageClasses()).singleElement()
                .satisfies(sc -> assertThat(sc.getParameters()).containsEntry("note", note));

        byte[] bad = (SC.formatted("pd.csi.storage.gke.io") + "parameters: {note: \"" + note + "\"}\nx: \"caf?\"\n")
                .getBytes(StandardCharsets.UTF_8);
        bad[bad.length - 3] = (byte) 0xE9;
        Files.write(file, bad);
        assertThatThrownBy(() -> ClusterFileReader.read(List.of(file)))
                .isInstanceOf(ClusterInputException.class)
                .hasMessageStartingWith(file + ": not UTF-8 text (byte 0xE9 at line 7)");
    }

    @Test
    void aByteOrderMarkIsDropped() throws IOException {
        Path file = dir.resolve("bom.yaml");
        Files.write(file, ("\uFEFF" + SC.formatted("pd.csi.storage.gke.io")).getBytes(StandardCharsets.UTF_8));
        assertThat(ClusterFileReader.read(List.of(file)).storageClasses()).hasSize(1);
    }
}
