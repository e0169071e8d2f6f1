package dev.bootsource.cli;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine.Help.Ansi;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** A style's codes worked out once give what picocli gives for the markup, colours on and off. */
class StylesTest {

    static Stream<Arguments> markup() {
        List<String> texts = List.of("hd-00001", "+ cdi.kubevirt.io/useReadWriteOnceForBootSources=true", " leading space",
                "trailing space ", "recreate (blocked)", "", "a @| b", "a |@ b", "ünïcode");
        return Stream.of(Ansi.ON, Ansi.OFF).flatMap(ansi -> Stream.of("bold", "green", "cyan", "red", "yellow", "faint", "bold,red")
                .flatMap(style -> texts.stream().map(text -> arguments(ansi, style, text))));
    }

    @ParameterizedTest(name = "{0} {1} [{2}]")
    @MethodSource("markup")
    void appliesAStyleAsPicocliDoes(Ansi ansi, String style, String text) {
        Styles styles = new Styles(ansi);

        assertThat(styles.apply(style, text)).isEqualTo(ansi.string("@|" + style + " " + text + "|@"));
        assertThat(styles.apply(style, text)).as("again, from the codes kept").isEqualTo(ansi.string("@|" + style + " " + text + "|@"));
    }
}
