package dev.bootsource.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.Arrays;
import java.util.List;

/** {@code bootsource}: the entry point of the runnable jar. */
@Command(
        name = "bootsource",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Makes KubeVirt/CDI golden images (boot sources) land on the right storage.")
public final class BootSourceCommand implements Runnable {

    /** The subcommands, in the order help lists them. */
    private static final List<Class<?>> SUBCOMMANDS = List.of(
            PlanCommand.class,
            RunCommand.class,
            AdmitCommand.class,
            WebhookCommand.class,
            VerifyCommand.class,
            WorkaroundCommand.class,
            RestoreTestCommand.class,
            CommandLine.HelpCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** See {@link #main}: how many PBKDF2 rounds protect a key put into an in-memory PKCS#12 key store. */
    static final String KEY_STORE_ROUNDS = "keystore.pkcs12.keyPbeIterationCount";

    public static void main(String[] args) {
        // The only key stores in this process are built in memory, never written: the Kubernetes client
        // puts a kubeconfig's client key into one. The JDK's default of 10,000 PBKDF2 rounds to protect
        // the key there, and again to read it back, was a tenth of the operator's start; one round does.
        if (System.getProperty(KEY_STORE_ROUNDS) == null) {
            System.setProperty(KEY_STORE_ROUNDS, "1");
        }
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit code; errors are one clear line, never a stack trace. */
    public static int execute(String... args) {
        return commandLine(args).execute(args);
    }

    /** The command line to run {@code args} with: every subcommand when there are none. */
    public static CommandLine commandLine(String... args) {
        CommandLine commandLine = new CommandLine(new BootSourceCommand())
                .setExecutionExceptionHandler(new CliErrors());
        subcommandsFor(args).forEach(commandLine::addSubcommand);
        // every subcommand answers -V/--version with the same line as the top-level command
        commandLine.getSubcommands().values()
                .forEach(sub -> sub.getCommandSpec().versionProvider(new VersionProvider()));
        return commandLine;
    }

    /**
     * Only the subcommand the arguments name, when they start with one other than {@code help}: picocli
     * builds a command's model from its annotations, which for all of them is a tenth of a second of
     * every start. Anything else (help, a typo, top-level options) gets them all, for help and suggestions.
     */
    static List<Class<?>> subcommandsFor(String... args) {
        if (args.length > 0) {
            for (Class<?> subcommand : SUBCOMMANDS) {
                Command command = subcommand.getAnnotation(Command.class);
                boolean named = command.name().equals(args[0]) || Arrays.asList(command.aliases()).contains(args[0]);
                if (named && subcommand != CommandLine.HelpCommand.class) {
                    return List.of(subcommand);
                }
            }
        }
        return SUBCOMMANDS;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
