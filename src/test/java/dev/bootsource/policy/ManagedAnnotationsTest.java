package dev.bootsource.policy;

import dev.bootsource.model.Keys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * BootSource's record of the values it wrote: a key is BootSource's while its current value equals the
 * recorded one; anything else was set by someone else.
 */
class ManagedAnnotationsTest {

    static final String RWO = Keys.USE_RWO_FOR_BOOT_SOURCES;
    static final String VSC = Keys.SNAPSHOT_CLASS_FOR_BOOT_SOURCES;
    static final String RECORD = Keys.MANAGED_ANNOTATIONS;

    @Test
    void aKeyIsBootSourcesWhileItHasTheRecordedValue() {
        Map<String, String> annotations = Map.of(RWO, "true", RECORD, "{\"" + RWO + "\":\"true\"}");

        assertThat(ManagedAnnotations.readFrom(annotations).owns(RWO, annotations)).isTrue();
    }

    @Test
    void anEditedValueIsNoLongerBootSources() {
        Map<String, String> annotations = Map.of(RWO, "false", RECORD, "{\"" + RWO + "\":\"true\"}");

        assertThat(ManagedAnnotations.readFrom(annotations).owns(RWO, annotations)).isFalse();
    }

    @Test
    void aKeyOutsideTheRecordIsNotBootSources() {
        Map<String, String> annotations = Map.of(RWO, "true", VSC, "mine", RECORD, "{\"" + RWO + "\":\"true\"}");

        assertThat(ManagedAnnotations.readFrom(annotations).owns(VSC, annotations)).isFalse();
    }

    @Test
    void aRecordedKeyThatIsAbsentIsNotOwned() {
        Map<String, String> annotations = Map.of(RECORD, "{\"" + RWO + "\":\"true\"}");

        assertThat(ManagedAnnotations.readFrom(annotations).owns(RWO, annotations)).isFalse();
    }

    @Test
    void noRecordMeansNothingIsOwnedAndNothingIsWrong() {
        ManagedAnnotations record = ManagedAnnotations.readFrom(Map.of(RWO, "true"));

        assertThat(record.values()).isEmpty();
        assertThat(record.problem()).isEmpty();
    }

    @ParameterizedTest(name = "unreadable record {0}: nothing owned, and the problem is reported")
    @ValueSource(strings = {"{not json", "null", "[\"a\"]", "\"text\"", "42", "{\"a\":{\"b\":\"c\"}}"})
    void anUnreadableRecordOwnsNothingAndSaysSo(String recorded) {
        Map<String, String> annotations = Map.of(RWO, "true", RECORD, recorded);

        ManagedAnnotations record = ManagedAnnotations.readFrom(annotations);

        assertThat(record.owns(RWO, annotations)).isFalse();
        assertThat(record.problem()).hasValueSatisfying(problem -> assertThat(problem).contains(RECORD));
    }

    @Test
    void theRecordIsWrittenAsSortedJsonAndNotAtAllWhenEmpty() {
        assertThat(ManagedAnnotations.format(Map.of(VSC, "sp-images", RWO, "true")))
                .hasValue("{\"" + VSC + "\":\"sp-images\",\"" + RWO + "\":\"true\"}");
        assertThat(ManagedAnnotations.format(Map.of())).isEmpty();
    }

    @Test
    void whatIsWrittenReadsBack() {
        Map<String, String> values = Map.of(VSC, "sp-images", RWO, "true");
        Map<String, String> annotations = Map.of(VSC, "sp-images", RWO, "true",
                RECORD, ManagedAnnotations.format(values).orElseThrow());

        assertThat(ManagedAnnotations.readFrom(annotations).values()).isEqualTo(values);
    }
}
