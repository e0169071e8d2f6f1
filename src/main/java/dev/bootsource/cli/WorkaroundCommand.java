package dev.bootsource.cli;

import picocli.CommandLine.Command;

/** Placeholder until the workaround command lands. */
@Command(name = "workaround", description = "Not available yet.")
final class WorkaroundCommand implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("bootsource: workaround is not available in this build");
        return 1;
    }
}
