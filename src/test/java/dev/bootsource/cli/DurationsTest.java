package dev.bootsource.cli;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DurationsTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            "90s, PT1M30S",
            "5m, PT5M",
            "1h30m, PT1H30M",
            "1h2m3s, PT1H2M3S",
            "500ms, PT0.5S",
            "45, PT45S",
            "PT10M, PT10M",
            "pt2s, PT2S",
            "' 10m ', PT10M"})
    void parsesWhatPeopleType(String text, String expected) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.parse(expected));
    }

    @ParameterizedTest(name = "''{0}'' is refused")
    @ValueSource(strings = {"", "0", "0s", "ten minutes", "5x", "m5", "1h 30m", "PTX", "-5s"})
    void refusesWhatIsNotAPositiveDuration(String text) {
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a duration");
    }

    @ParameterizedTest(name = "{0} reads {1}")
    @CsvSource({
            "PT0.25S, 250ms",
            "PT6.72S, 6.7s",
            "PT4M5S, 4m5s",
            "PT1H, 1h0m0s",
            "PT1H2M3S, 1h2m3s"})
    void formatsForPeople(String duration, String expected) {
        assertThat(Durations.format(Duration.parse(duration))).isEqualTo(expected);
    }
}
