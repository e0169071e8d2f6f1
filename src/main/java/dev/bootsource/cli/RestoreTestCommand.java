package dev.bootsource.cli;

import picocli.CommandLine.Command;

/** Placeholder until the restore-test command lands. */
@Command(name = "restore-test", description = "Not available yet.")
final class RestoreTestCommand implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("bootsource: restore-test is not available in this build");
        return 1;
    }
}
