package dev.bootsource.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class LogfmtLoggingTest {

    @Test
    void writesOneKeyValueLinePerEventToStandardErrorWithQuotesEscapedAndTheStackIndented() {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        String before = System.getProperty(LogfmtLogging.FORMAT_PROPERTY);
        System.setProperty(LogfmtLogging.FORMAT_PROPERTY, "logfmt");
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            LogfmtLogging logging = new LogfmtLogging();
            logging.setContext(context);
            assertThat(logging.configure(context)).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);

            context.getLogger("dev.bootsource.operator.StorageProfileReconciler").atInfo()
                    .addKeyValue("profile", "sp-a").log("set \"x\"");
            context.getLogger("dev.bootsource.operator.StorageProfileReconciler").atDebug().log("not shown at INFO");
            context.getLogger("io.fabric8.Other").atInfo().log("libraries log at WARN and above");
            context.getLogger("io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils").atWarn().log("unstable version");
            context.getLogger("io.fabric8.Other").atWarn().setCause(new IllegalStateException("boom")).log("failed");
        } finally {
            System.setErr(original);
            if (before == null) {
                System.clearProperty(LogfmtLogging.FORMAT_PROPERTY);
            } else {
                System.setProperty(LogfmtLogging.FORMAT_PROPERTY, before);
            }
            context.stop();
        }

        String[] lines = err.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines[0]).matches("time=\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z level=INFO "
                + "logger=StorageProfileReconciler thread=\"[^\"]+\" profile=\"sp-a\" msg=\"set \\\\\"x\\\\\"\"");
        assertThat(lines[1]).contains("level=WARN logger=Other").endsWith("msg=\"failed\"");
        assertThat(lines[2]).startsWith("  java.lang.IllegalStateException: boom");
        assertThat(lines).noneMatch(line -> line.contains("not shown") || line.contains("libraries log")
                || line.contains("unstable version"));
    }

    @Test
    void leavesTheTestsQuietConfigurationAloneUnlessAskedForTheFormat() {
        String before = System.getProperty(LogfmtLogging.FORMAT_PROPERTY);
        System.clearProperty(LogfmtLogging.FORMAT_PROPERTY);
        LoggerContext context = new LoggerContext();
        try {
            LogfmtLogging logging = new LogfmtLogging();
            logging.setContext(context);
            // The test class path carries logback-test.xml.
            assertThat(logging.configure(context)).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
            assertThat(context.getLogger("ROOT").iteratorForAppenders().hasNext()).isFalse();
        } finally {
            if (before != null) {
                System.setProperty(LogfmtLogging.FORMAT_PROPERTY, before);
            }
            context.stop();
        }
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {
            "null,   INFO",
            "'',     INFO",
            "DEBUG,  DEBUG",
            "debug,  DEBUG",
            "' WARN ', WARN",
            "TRACE,  TRACE",
            "loud,   INFO",
    })
    void levelComesFromTheEnvironmentWithInfoAsTheDefault(String name, String expected) {
        assertThat(LogfmtLogging.level(name)).isEqualTo(Level.toLevel(expected));
    }
}
