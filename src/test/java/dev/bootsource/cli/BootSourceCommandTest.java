package dev.bootsource.cli;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Which subcommands a command line builds: the one it names, or all of them for help and suggestions. */
class BootSourceCommandTest {

    private static final List<String> ALL = List.of("plan", "run", "admit", "webhook", "verify", "workaround",
            "restore-test", "help");

    static Stream<Arguments> commandLines() {
        return Stream.of(
                Arguments.of(new String[] {"run", "--no-leader-election"}, List.of("run")),
                Arguments.of(new String[] {"plan", "examples/gcp-hyperdisk/cluster.yaml"}, List.of("plan")),
                Arguments.of(new String[] {"restore-test", "--help"}, List.of("restore-test")),
                Arguments.of(new String[] {"help", "run"}, ALL),
                Arguments.of(new String[] {"--help"}, ALL),
                Arguments.of(new String[] {"--version"}, ALL),
                Arguments.of(new String[] {"rnu"}, ALL),
                Arguments.of(new String[] {}, ALL));
    }

    @ParameterizedTest
    @MethodSource("commandLines")
    void buildsTheNamedSubcommandOrAll(String[] args, List<String> expected) {
        assertThat(BootSourceCommand.commandLine(args).getSubcommands().keySet()).containsExactlyElementsOf(expected);
    }

    static Stream<Arguments> usages() {
        return Stream.of(
                Arguments.of(new String[] {"run", "--help"}, "Usage: bootsource run"),
                Arguments.of(new String[] {"help", "run"}, "Usage: bootsource run"),
                Arguments.of(new String[] {"--help"}, "restore-test"));
    }

    @ParameterizedTest
    @MethodSource("usages")
    void helpAnswersWhicheverWayItIsAsked(String[] args, String expected) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CommandLine commandLine = BootSourceCommand.commandLine(args);
        commandLine.setOut(new PrintWriter(new PrintStream(out, true, StandardCharsets.UTF_8), true));

        assertThat(commandLine.execute(args)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains(expected);
    }
}
