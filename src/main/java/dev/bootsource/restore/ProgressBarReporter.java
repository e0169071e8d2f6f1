package dev.bootsource.restore;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.util.function.Consumer;

/**
 * Shows the Bound count as a progress bar: redrawn in place on a terminal, and as one line per change
 * otherwise (logs, CI, pipes), so a log shows how binding went over time.
 */
public final class ProgressBarReporter implements RestoreProgress {

    private static final String TASK = "Bound";
    private static final int LINE_WIDTH = 100;

    private final boolean interactive;
    private final ProgressBarConsumer consumer;
    private ProgressBar bar;
    private int lastBound = -1;
    private int lastFailed = -1;

    private ProgressBarReporter(boolean interactive, ProgressBarConsumer consumer) {
        this.interactive = interactive;
        this.consumer = consumer;
    }

    /** A bar redrawn in place on {@code terminal}. */
    public static ProgressBarReporter onTerminal(PrintStream terminal) {
        return new ProgressBarReporter(true, new ConsoleProgressBarConsumer(terminal));
    }

    /** One line to {@code lines} each time the count changes. */
    public static ProgressBarReporter asLines(Consumer<String> lines) {
        return new ProgressBarReporter(false, new DelegatingProgressBarConsumer(lines, LINE_WIDTH));
    }

    @Override
    public void started(int total) {
        bar = new ProgressBarBuilder()
                .setTaskName(TASK)
                .setInitialMax(total)
                .setStyle(interactive ? ProgressBarStyle.COLORFUL_UNICODE_BLOCK : ProgressBarStyle.ASCII)
                // on a terminal redraw twice a second; in a log only when the count changes (see update)
                .setUpdateIntervalMillis(interactive ? 500 : Integer.MAX_VALUE)
                .setConsumer(consumer)
                .setUnit(" PVC", 1)
                .build();
        bar.setExtraMessage(total + " pending");
    }

    @Override
    public void update(int bound, int failed, int total) {
        if (bar == null) {
            return;
        }
        bar.stepTo(bound);
        int pending = total - bound - failed;
        bar.setExtraMessage(pending + " pending" + (failed > 0 ? ", " + failed + " failed" : ""));
        if (!interactive && (bound != lastBound || failed != lastFailed)) {
            bar.refresh();
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
