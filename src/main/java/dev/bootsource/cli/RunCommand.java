package dev.bootsource.cli;

import picocli.CommandLine.Command;

/** Placeholder until the run command lands. */
@Command(name = "run", description = "Not available yet.")
final class RunCommand implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("bootsource: run is not available in this build");
        return 1;
    }
}
