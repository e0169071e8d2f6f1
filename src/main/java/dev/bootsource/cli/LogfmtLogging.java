package dev.bootsource.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

import java.util.Optional;

/**
 * BootSource's logging: one line per event as key=value pairs (logfmt) on standard error, so that what
 * a command prints on standard output ({@code plan -o json}, {@code admit}, {@code workaround}) is never
 * mixed with logs, e.g.
 * <pre>
 * time=2025-01-01T12:00:00.000Z level=INFO logger=StorageProfileReconciler thread="..." profile="sp-a" op="add" key="..." msg="..."
 * </pre>
 * Keys after {@code thread=} come from the event itself (profile, op, key, value, snapshotClass, resource,
 * ...). {@code BOOTSOURCE_LOG_LEVEL} (default INFO) sets BootSource's level; libraries log at WARN and above.
 *
 * <p>Set up in code rather than from an XML file: it is part of every command's start, and parsing XML
 * costs more than the rest of the logging set-up. A {@code logback.configurationFile} given on the command
 * line, or a {@code logback-test.xml} on the class path (the tests' quiet logging), still wins; processes
 * the tests start from their class path ask for this format with {@code -Dbootsource.logging=logfmt}.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogfmtLogging extends ContextAwareBase implements Configurator {

    static final String PATTERN = "time=%d{yyyy-MM-dd'T'HH:mm:ss.SSSX,UTC} level=%level logger=%logger{0} "
            + "thread=\"%thread\" %kvp msg=\"%replace(%msg){'\"','\\\\\"'}\"%n%replace(%ex){'(?m)^', '  '}%nopex";

    /** {@code -Dbootsource.logging=logfmt} chooses this format over a {@code logback-test.xml} on the class path. */
    public static final String FORMAT_PROPERTY = "bootsource.logging";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        boolean asked = "logfmt".equals(System.getProperty(FORMAT_PROPERTY));
        if (System.getProperty("logback.configurationFile") != null
                || (!asked && LogfmtLogging.class.getClassLoader().getResource("logback-test.xml") != null)) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();

        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(stderr);
        context.getLogger("dev.bootsource").setLevel(level(System.getenv("BOOTSOURCE_LOG_LEVEL")));
        // CDI's API is v1beta1 for good; the client's "unstable version" notice is noise here.
        context.getLogger("io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils").setLevel(Level.ERROR);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** The level named by {@code BOOTSOURCE_LOG_LEVEL}, INFO when unset or not a level. */
    static Level level(String name) {
        return Optional.ofNullable(name).filter(n -> !n.isBlank()).map(n -> Level.toLevel(n.trim(), Level.INFO))
                .orElse(Level.INFO);
    }
}
