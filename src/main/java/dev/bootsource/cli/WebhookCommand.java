package dev.bootsource.cli;

import picocli.CommandLine.Command;

/** Placeholder until the webhook command lands. */
@Command(name = "webhook", description = "Not available yet.")
final class WebhookCommand implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("bootsource: webhook is not available in this build");
        return 1;
    }
}
