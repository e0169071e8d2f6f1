package dev.bootsource.cli;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine.Help.Ansi;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A style's codes worked out once give what picocli gives for the markup, colours on and off, every style a report uses. */
class StylesTest {

    private static final List<String> STYLES = List.of("bold", "green", "cyan", "red", "yellow", "faint", "bold,red");

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "a profile name             | hd-00001",
            "a change line              | + cdi.kubevirt.io/useReadWriteOnceForBootSources=true",
            "leading space              | '  indented'",
            "trailing space             | 'recreate (blocked) '",
            "no text at all             | ''",
            "text that opens markup     | a @|bold b",
            "text that closes markup    | a |@ b",
            "text beyond ASCII          | ünïcode ✓"})
    void appliesAStyleAsPicocliDoes(String what, String text) {
        for (Ansi ansi : List.of(Ansi.ON, Ansi.OFF)) {
            Styles styles = new Styles(ansi);
            for (String style : STYLES) {
                String picocli = ansi.string("@|" + style + " " + text + "|@");
                assertThat(styles.apply(style, text)).as("%s %s", ansi, style).isEqualTo(picocli);
                assertThat(styles.apply(style, text)).as("%s %s, from the codes kept", ansi, style).isEqualTo(picocli);
            }
        }
    }
}
