package dev.bootsource.input;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bootsource.cluster.KubernetesObjects;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two reads of one object are the same when their trees are equal leaving out metadata.managedFields:
 * the digest kept instead of the tree says so exactly when the trees do.
 */
class ObjectContentTest {

    @ParameterizedTest(name = "{0}: same = {3}")
    @CsvSource(delimiter = '|', value = {
            "the same text                       | {kind: A, metadata: {name: a}, spec: {x: 1}}      | {kind: A, metadata: {name: a}, spec: {x: 1}}                      | true",
            "keys in another order               | {kind: A, metadata: {name: a}, spec: {x: 1, y: 2}} | {spec: {y: 2, x: 1}, metadata: {name: a}, kind: A}               | true",
            "only managedFields differ           | {kind: A, metadata: {name: a, managedFields: [{manager: x}]}} | {kind: A, metadata: {managedFields: [{manager: y}], name: a}} | true",
            "managedFields only on one side      | {kind: A, metadata: {name: a}}                    | {kind: A, metadata: {name: a, managedFields: []}}                 | true",
            "managedFields outside metadata      | {kind: A, metadata: {name: a}, spec: {managedFields: 1}} | {kind: A, metadata: {name: a}, spec: {managedFields: 2}}   | false",
            "a value differs                     | {kind: A, metadata: {name: a}, spec: {x: 1}}      | {kind: A, metadata: {name: a}, spec: {x: 2}}                      | false",
            "list items in another order         | {kind: A, metadata: {name: a}, spec: {x: [1, 2]}} | {kind: A, metadata: {name: a}, spec: {x: [2, 1]}}                 | false",
            "a number and a string               | {kind: A, metadata: {name: a}, spec: {x: 1}}      | {kind: A, metadata: {name: a}, spec: {x: '1'}}                    | false",
            "an integer and a decimal            | {kind: A, metadata: {name: a}, spec: {x: 1}}      | {kind: A, metadata: {name: a}, spec: {x: 1.0}}                    | false",
            "null and an absent field            | {kind: A, metadata: {name: a}, spec: {x: null}}   | {kind: A, metadata: {name: a}, spec: {}}                          | false",
            "an empty mapping and an empty list  | {kind: A, metadata: {name: a}, spec: {}}          | {kind: A, metadata: {name: a}, spec: []}                          | false",
            "a key moved into its neighbour      | {kind: A, metadata: {name: a}, spec: {x: {y: 1}, z: 2}} | {kind: A, metadata: {name: a}, spec: {x: {y: 1, z: 2}}}     | false",
            "true and the string true            | {kind: A, metadata: {name: a}, spec: {x: true}}   | {kind: A, metadata: {name: a}, spec: {x: 'true'}}                 | false"})
    void theDigestsAreEqualExactlyWhenTheTreesAre(String what, String first, String second, boolean same) throws IOException {
        JsonNode a = KubernetesObjects.MAPPER.readTree(first);
        JsonNode b = KubernetesObjects.MAPPER.readTree(second);

        assertThat(withoutManagedFields(a).equals(withoutManagedFields(b))).as("the trees compared").isEqualTo(same);
        ObjectContent content = new ObjectContent();
        assertThat(content.digest(a)).as("the digests compared").satisfies(digest -> {
            if (same) {
                assertThat(digest).isEqualTo(content.digest(b));
            } else {
                assertThat(digest).isNotEqualTo(content.digest(b));
            }
        });
    }

    private static JsonNode withoutManagedFields(JsonNode object) {
        JsonNode copy = object.deepCopy();
        if (copy.path("metadata") instanceof ObjectNode metadata) {
            metadata.remove("managedFields");
        }
        return copy;
    }
}
