package dev.bootsource.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import dev.bootsource.cluster.KubernetesObjects.Located;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Objects are read one at a time, each document and each item of a list, and come out as reading each
 * document whole would give them: the same objects, in the same order, with the same where-strings.
 */
class KubernetesObjectsTest {

    private static final String SC = "{apiVersion: storage.k8s.io/v1, kind: StorageClass, metadata: {name: %s}, provisioner: p}";

    private static String sc(String name) {
        return SC.formatted(name);
    }

    static Stream<Arguments> shapes() {
        return Stream.of(
                arguments("a List with kind before items", """
                        apiVersion: v1
                        kind: List
                        items:
                        - %s
                        - %s
                        """.formatted(sc("a"), sc("b")),
                        List.of("StorageClass a @ f (document 1, item 1)", "StorageClass b @ f (document 1, item 2)")),
                arguments("a List with kind after items, as kubectl prints it", """
                        apiVersion: v1
                        items:
                        - %s
                        - %s
                        kind: List
                        metadata:
                          resourceVersion: ""
                        """.formatted(sc("a"), sc("b")),
                        List.of("StorageClass a @ f (document 1, item 1)", "StorageClass b @ f (document 1, item 2)")),
                arguments("nested lists, kind after items in both", """
                        apiVersion: v1
                        items:
                        - %s
                        - apiVersion: v1
                          items:
                          - %s
                          - %s
                          kind: List
                        - %s
                        kind: StorageClassList
                        """.formatted(sc("a"), sc("b"), sc("c"), sc("d")),
                        List.of("StorageClass a @ f (document 1, item 1)", "StorageClass b @ f (document 1, item 2, item 1)",
                                "StorageClass c @ f (document 1, item 2, item 2)", "StorageClass d @ f (document 1, item 3)")),
                arguments("items before a kind that is not a list: one object", """
                        apiVersion: example.com/v1
                        items:
                        - %s
                        kind: Inventory
                        metadata: {name: shelf}
                        """.formatted(sc("a")),
                        List.of("Inventory shelf @ f (document 1)")),
                arguments("items before a kind that is not a list, documents around it", """
                        %s
                        ---
                        apiVersion: example.com/v1
                        items:
                        - %s
                        kind: Inventory
                        metadata: {name: shelf}
                        # the end of the inventory
                        ---
                        %s
                        """.formatted(sc("a"), sc("b"), sc("c")),
                        List.of("StorageClass a @ f (document 1)", "Inventory shelf @ f (document 2)", "StorageClass c @ f (document 3)")),
                arguments("items without any kind: one object", """
                        items:
                        - %s
                        metadata: {name: shelf}
                        """.formatted(sc("a")),
                        List.of("(no kind) shelf @ f (document 1)")),
                arguments("a nested item with items before a kind that is not a list", """
                        kind: List
                        items:
                        - %s
                        - items: [%s]
                          kind: Inventory
                          metadata: {name: shelf}
                        - %s
                        """.formatted(sc("a"), sc("b"), sc("c")),
                        List.of("StorageClass a @ f (document 1, item 1)", "Inventory shelf @ f (document 1, item 2)",
                                "StorageClass c @ f (document 1, item 3)")),
                arguments("a block mapping in a list, items before a kind that is not a list", """
                        apiVersion: v1
                        items:
                        - apiVersion: example.com/v1
                          items:
                          - a: 1
                          - b: [2, 3]
                          # a comment
                          kind: Inventory
                          metadata:
                            name: shelf

                        - %s
                        kind: List
                        """.formatted(sc("a")),
                        List.of("Inventory shelf @ f (document 1, item 1)", "StorageClass a @ f (document 1, item 2)")),
                arguments("a flow mapping over several lines, items before a kind that is not a list", """
                        {"kind": "List", "items": [{"items": [1,
                           2], "kind": "Inventory",
                         "metadata": {"name": "shelf"}}, %s]}
                        """.formatted(sc("a")),
                        List.of("Inventory shelf @ f (document 1, item 1)", "StorageClass a @ f (document 1, item 2)")),
                arguments("characters beyond 16 bits before a mapping read again", """
                        kind: Note
                        metadata: {name: "\uD83D\uDE00\uD83D\uDE00", annotations: {a: "\uD83D\uDE00"}}
                        ---
                        # \uD83D\uDE00
                        items: [{kind: Thing, metadata: {name: "\uD83D\uDE00"}}]
                        kind: Inventory
                        metadata: {name: "shelf \uD83D\uDE00"}
                        """,
                        List.of("Note \uD83D\uDE00\uD83D\uDE00 @ f (document 1)", "Inventory shelf \uD83D\uDE00 @ f (document 2)")),
                arguments("lines that end in CR LF", "kind: Note\r\nmetadata: {name: a}\r\n---\r\nitems:\r\n- "
                        + sc("b") + "\r\nkind: Inventory\r\nmetadata: {name: shelf}\r\n",
                        List.of("Note a @ f (document 1)", "Inventory shelf @ f (document 2)")),
                arguments("a mapping read again inside one read again", """
                        items:
                        - items: [%s]
                          kind: Shelf
                          metadata: {name: inner}
                        kind: Room
                        metadata: {name: outer}
                        """.formatted(sc("a")),
                        List.of("Room outer @ f (document 1)")),
                arguments("a misshapen list inside a mapping read again is no problem", """
                        items:
                        - kind: List
                          items: 5
                        kind: Inventory
                        metadata: {name: shelf}
                        """,
                        List.of("Inventory shelf @ f (document 1)")),
                arguments("items given twice: the later ones count", """
                        kind: List
                        items: [%s]
                        items: [%s]
                        """.formatted(sc("a"), sc("b")),
                        List.of("StorageClass b @ f (document 1, item 1)")),
                arguments("kind given twice: the later one counts", """
                        kind: Inventory
                        items: [%s]
                        kind: List
                        """.formatted(sc("a")),
                        List.of("StorageClass a @ f (document 1, item 1)")),
                arguments("several documents, empty ones counted", """
                        ---
                        %s
                        ---
                        ---
                        items: [%s]
                        kind: List
                        ---
                        %s
                        """.formatted(sc("a"), sc("b"), sc("c")),
                        List.of("StorageClass a @ f (document 1)", "StorageClass b @ f (document 3, item 1)",
                                "StorageClass c @ f (document 4)")),
                arguments("an item that is not a mapping is an object of its own", """
                        items: [%s, just text]
                        kind: List
                        """.formatted(sc("a")),
                        List.of("StorageClass a @ f (document 1, item 1)", "(no kind) (no name) @ f (document 1, item 2)")),
                arguments("fields with no value, an empty one and a null one, as whole documents read them", """
                        kind: StorageClass
                        metadata:
                          name: a
                          annotations:
                        parameters:
                        mountOptions: ~
                        provisioner: ""
                        """,
                        List.of("StorageClass a @ f (document 1)")),
                arguments("JSON, items before kind", """
                        {"apiVersion": "v1", "items": [{"kind": "StorageClass", "metadata": {"name": "a"}}], "kind": "List"}
                        """,
                        List.of("StorageClass a @ f (document 1, item 1)")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void objectsComeOutAsFromWholeDocuments(String shape, String text, List<String> expected) {
        List<Located> read = KubernetesObjects.locate(text, "f");

        assertThat(read).map(o -> KubernetesObjects.describe(o.object()) + " @ " + o.where()).containsExactlyElementsOf(expected);
        assertThat(read).as("the same trees as whole documents give").isEqualTo(wholeDocuments(text, "f"));
    }

    @Test
    void theFixturesComeOutAsFromWholeDocuments() throws IOException {
        try (Stream<Path> files = Stream.concat(Files.list(Path.of("src/test/resources/cluster")), Files.list(Path.of("examples/mixed")))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String text = Files.readString(file);
                assertThat(KubernetesObjects.locate(text, file.toString())).as(file.toString())
                        .isEqualTo(wholeDocuments(text, file.toString()));
            }
        }
    }

    @Test
    void objectsAreHandedOnAsTheyAreRead() {
        StringBuilder text = new StringBuilder("apiVersion: v1\nitems:\n");
        for (int i = 0; i < 100; i++) {
            text.append("- ").append(sc("sc-" + i)).append('\n');
        }
        text.append("kind: List\nmetadata: {resourceVersion: \"\"\n");
        List<String> handedOn = new ArrayList<>();

        assertThatThrownBy(() -> KubernetesObjects.read(text.toString(), "f", sink(handedOn)))
                .isInstanceOf(ClusterInputException.class)
                .hasMessageStartingWith("f: not valid YAML or JSON at line 104");
        assertThat(handedOn).as("every item before the text turned out malformed").hasSize(100);
    }

    @Test
    void aDocumentReadAgainWholeTakesBackWhatItHandedOn() {
        String text = sc("a") + "\n---\nitems: [" + sc("b") + ", " + sc("c") + "]\nkind: Inventory\nmetadata: {name: shelf}\n";
        List<String> handedOn = new ArrayList<>();

        KubernetesObjects.read(text, "f", sink(handedOn));

        assertThat(handedOn).containsExactly("StorageClass a @ f (document 1)", "Inventory shelf @ f (document 2)");
    }

    @Test
    void aShortNameOrValueMetAgainIsOneString() {
        List<JsonNode> objects = KubernetesObjects.split("kind: List\nitems:\n- " + sc("a") + "\n- " + sc("b") + "\n", "f");

        assertThat(objects.get(1).get("apiVersion").textValue()).isSameAs(objects.get(0).get("apiVersion").textValue());
        assertThat(objects.get(1).get("provisioner").textValue()).isSameAs(objects.get(0).get("provisioner").textValue());
        assertThat(objects.get(1).fieldNames().next()).isSameAs(objects.get(0).fieldNames().next());
    }

    // --- Problems come in the order a whole-text read finds them ---------------------------------------

    @Test
    void aListWhoseItemsAreNotAListIsReportedAtTheEndOfItsDocument() {
        assertThatThrownBy(() -> KubernetesObjects.locate("kind: List\nitems: {a: b}\n---\n" + sc("a") + "\n", "f"))
                .isInstanceOf(ClusterInputException.class)
                .hasMessage("f: List has 'items' that is not a list");
        assertThatThrownBy(() -> KubernetesObjects.locate("kind: List\nitems:\n- kind: List\n  items: 5\n- " + sc("a") + "\n", "f"))
                .isInstanceOf(ClusterInputException.class)
                .hasMessage("f: List has 'items' that is not a list");
    }

    @Test
    void aMalformedDocumentIsReportedBeforeAMisshapenListInIt() {
        assertThatThrownBy(() -> KubernetesObjects.locate("kind: List\nitems: 5\nmetadata: {name: [\n", "f"))
                .isInstanceOf(ClusterInputException.class)
                .hasMessageStartingWith("f: not valid YAML or JSON at line");
        assertThatThrownBy(() -> KubernetesObjects.locate("kind: List\nitems: 5\n---\nmetadata: {name: [\n", "f"))
                .isInstanceOf(ClusterInputException.class)
                .hasMessage("f: List has 'items' that is not a list");
    }

    @Test
    void whatTheSinkThrowsComesThroughUntouched() {
        IllegalStateException problem = new IllegalStateException("the sink's own problem");
        KubernetesObjects.ObjectSink failing = new KubernetesObjects.ObjectSink() {
            @Override
            public void accept(Located object) {
                throw problem;
            }

            @Override
            public Runnable mark() {
                return () -> { };
            }
        };

        assertThatThrownBy(() -> KubernetesObjects.read(sc("a"), "f", failing)).isSameAs(problem);
    }

    /** A sink that records "describe @ where" and takes back on undo. */
    private static KubernetesObjects.ObjectSink sink(List<String> handedOn) {
        return new KubernetesObjects.ObjectSink() {
            @Override
            public void accept(Located object) {
                handedOn.add(KubernetesObjects.describe(object.object()) + " @ " + object.where());
            }

            @Override
            public Runnable mark() {
                int size = handedOn.size();
                return () -> handedOn.subList(size, handedOn.size()).clear();
            }
        };
    }

    /** Each document read as one tree, then lists flattened: what one-at-a-time reading must match. */
    private static List<Located> wholeDocuments(String text, String source) {
        List<Located> objects = new ArrayList<>();
        try (MappingIterator<JsonNode> documents = KubernetesObjects.MAPPER.readerFor(JsonNode.class).readValues(text)) {
            int document = 0;
            while (documents.hasNextValue()) {
                document++;
                JsonNode node = documents.nextValue();
                if (node != null && !node.isNull() && !(node.isTextual() && node.asText().isEmpty())) {
                    flatten(node, source + " (document " + document, objects);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return objects;
    }

    private static void flatten(JsonNode node, String where, List<Located> into) {
        if (node.path("kind").asText("").endsWith("List") && node.has("items")) {
            int item = 0;
            for (JsonNode child : node.get("items")) {
                flatten(child, where + ", item " + ++item, into);
            }
        } else {
            into.add(new Located(node, where + ")"));
        }
    }
}
