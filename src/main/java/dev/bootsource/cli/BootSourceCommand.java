package dev.bootsource.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bootsource}: the entry point of the runnable jar. */
@Command(
        name = "bootsource",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Makes KubeVirt/CDI golden images (boot sources) land on the right storage.",
        subcommands = {
                PlanCommand.class,
                RunCommand.class,
                AdmitCommand.class,
                WebhookCommand.class,
                VerifyCommand.class,
                WorkaroundCommand.class,
                RestoreTestCommand.class,
                CommandLine.HelpCommand.class
        })
public final class BootSourceCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit code; errors are one clear line, never a stack trace. */
    public static int execute(String... args) {
        CommandLine commandLine = new CommandLine(new BootSourceCommand())
                .setExecutionExceptionHandler(new CliErrors());
        // every subcommand answers -V/--version with the same line as the top-level command
        commandLine.getSubcommands().values()
                .forEach(sub -> sub.getCommandSpec().versionProvider(new VersionProvider()));
        return commandLine.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
