package dev.bootsource.cli;

import picocli.CommandLine.Command;

/** Placeholder until the admit command lands. */
@Command(name = "admit", description = "Not available yet.")
final class AdmitCommand implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("bootsource: admit is not available in this build");
        return 1;
    }
}
