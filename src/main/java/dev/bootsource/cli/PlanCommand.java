package dev.bootsource.cli;

import picocli.CommandLine.Command;

/** Placeholder until the plan command lands. */
@Command(name = "plan", description = "Not available yet.")
final class PlanCommand implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("bootsource: plan is not available in this build");
        return 1;
    }
}
