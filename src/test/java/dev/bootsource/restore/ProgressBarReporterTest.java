package dev.bootsource.restore;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressBarReporterTest {

    @Test
    void outsideATerminalItWritesOneLinePerChange() {
        List<String> lines = new ArrayList<>();
        ProgressBarReporter reporter = ProgressBarReporter.asLines(lines::add);
        reporter.started(4);
        reporter.update(0, 0, 4);
        reporter.update(0, 0, 4);
        reporter.update(2, 0, 4);
        reporter.update(2, 0, 4);
        reporter.update(3, 1, 4);
        reporter.close();

        assertThat(lines).anyMatch(line -> line.contains("Bound") && line.contains("2/4") && line.contains("2 pending"));
        assertThat(lines).anyMatch(line -> line.contains("3/4") && line.contains("0 pending, 1 failed"));
        assertThat(lines.stream().filter(line -> line.contains(" 2/4 ")).count()).isEqualTo(1);
        assertThat(lines).allMatch(line -> line.length() <= 100);
    }
}
