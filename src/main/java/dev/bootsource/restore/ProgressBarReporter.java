package dev.bootsource.restore;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Shows the Bound count: as a progress bar redrawn in place on a terminal, and as one plain line per
 * change otherwise (logs, CI, pipes), so a log shows how binding went over time. The plain lines are
 * written on the caller's thread, never by the bar's own refresh thread, so each change is one line.
 */
public final class ProgressBarReporter implements RestoreProgress {

    private static final String TASK = "Bound";

    private final Optional<PrintStream> terminal;
    private final Consumer<String> lines;
    private ProgressBar bar;
    private int lastBound = -1;
    private int lastFailed = -1;

    private ProgressBarReporter(Optional<PrintStream> terminal, Consumer<String> lines) {
        this.terminal = terminal;
        this.lines = lines;
    }

    /** A bar redrawn in place on {@code terminal}. */
    public static ProgressBarReporter onTerminal(PrintStream terminal) {
        return new ProgressBarReporter(Optional.of(terminal), line -> { });
    }

    /** One line to {@code lines} each time the count changes. */
    public static ProgressBarReporter asLines(Consumer<String> lines) {
        return new ProgressBarReporter(Optional.empty(), lines);
    }

    @Override
    public void started(int total) {
        terminal.ifPresent(stream -> {
            bar = new ProgressBarBuilder()
                    .setTaskName(TASK)
                    .setInitialMax(total)
                    .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                    .setUpdateIntervalMillis(500)
                    .setConsumer(new ConsoleProgressBarConsumer(stream))
                    .setUnit(" PVC", 1)
                    .build();
            bar.setExtraMessage(total + " pending");
        });
    }

    @Override
    public void update(int bound, int failed, int total) {
        String status = (total - bound - failed) + " pending" + (failed > 0 ? ", " + failed + " failed" : "");
        if (bar != null) {
            bar.stepTo(bound);
            bar.setExtraMessage(status);
        } else if (terminal.isEmpty() && (bound != lastBound || failed != lastFailed)) {
            lines.accept(TASK + " " + bound + "/" + total + " PVC, " + status);
        }
        lastBound = bound;
        lastFailed = failed;
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
