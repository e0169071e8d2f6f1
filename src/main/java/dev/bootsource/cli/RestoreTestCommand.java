package dev.bootsource.cli;

import dev.bootsource.input.LeanSerialization;
import dev.bootsource.restore.ClaimOutcome;
import dev.bootsource.restore.ImageRef;
import dev.bootsource.restore.ProgressBarReporter;
import dev.bootsource.restore.RestoreClaims;
import dev.bootsource.restore.RestoreProgress;
import dev.bootsource.restore.RestoreTestResult;
import dev.bootsource.restore.RestoreTestRunner;
import dev.bootsource.restore.RestoreTestSettings;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code restore-test}: N parallel restores from one golden image against the live cluster, with progress and cleanup. */
@Command(name = "restore-test", mixinStandardHelpOptions = true,
        description = {"Restore one golden image COUNT times at once into new PVCs, show how many are Bound as time "
                + "goes by, and report the time each took and why any did not bind (step 7.3 of the manual GCP workaround: more than 6 "
                + "restores an hour from one golden image). The PVCs are deleted afterwards, also on Ctrl-C, unless "
                + "--keep. Says what it will create (count, size, class) and asks first unless --yes; --dry-run creates "
                + "nothing. Uses the current kubeconfig context (or --kubeconfig/--context), or the in-cluster config.",
                "Each PVC asks for what a VM disk made from the image would get: the default virt class (else the "
                        + "default class) and the first access and volume mode of its StorageProfile."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:every PVC was Bound before the timeout",
                "1:an unexpected error (e.g. the cluster cannot be reached)",
                "2:bad input (e.g. no such DataSource or VolumeSnapshot)",
                "3:some PVCs were not Bound before the timeout, or could not be created",
                "4:not confirmed: nothing was created (answer y, or pass --yes)",
                "130:interrupted (Ctrl-C); the PVCs were deleted unless --keep"})
final class RestoreTestCommand implements Callable<Integer> {

    static final int NOT_ALL_BOUND = 3;
    static final int INTERRUPTED = 130;
    /** The admin did not confirm: nothing was created. */
    static final int NOT_CONFIRMED = 4;
    private static final int LIMIT_PER_HOUR = 6;
    private static final int REQUEST_RETRIES = 3;

    @Option(names = "--image", required = true, paramLabel = "NAMESPACE/NAME",
            description = "The golden image: a CDI DataSource (followed to its VolumeSnapshot or PVC) or a VolumeSnapshot.")
    String image;

    @Option(names = "--count", paramLabel = "N", defaultValue = "10",
            description = "How many PVCs to restore at once (default: ${DEFAULT-VALUE}; more than 6 shows the limit is gone).")
    int count = 10;

    @Option(names = "--storage-class", paramLabel = "NAME",
            description = "StorageClass of the restored PVCs. Default: the default virt class, else the default class.")
    String storageClass;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS",
            description = "Namespace for the restored PVCs. Default: the golden image's namespace.")
    String namespace;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10m",
            description = "How long to wait for all PVCs to be Bound, e.g. 90s, 10m, 1h (default: ${DEFAULT-VALUE}).")
    String timeout = "10m";

    @Option(names = "--keep", description = "Leave the PVCs in place afterwards.")
    boolean keep;

    @Option(names = "--access-mode", paramLabel = "MODE",
            description = "Access mode of the PVCs. Default: the first of the class's StorageProfile, as CDI picks for VM disks.")
    String accessMode;

    @Option(names = "--volume-mode", paramLabel = "MODE",
            description = "Block or Filesystem. Default: the StorageProfile's for that access mode.")
    String volumeMode;

    @Option(names = "--size", paramLabel = "QUANTITY",
            description = "Size of each PVC. Default: the snapshot's restoreSize, else the source PVC's size.")
    String size;

    @Option(names = "--node", paramLabel = "NAME",
            description = "For a WaitForFirstConsumer class: the node to provision for. Default: the first Ready, schedulable node.")
    String node;

    @CommandLine.Mixin
    KubeconfigOptions kubeconfig;

    @Option(names = {"-y", "--yes"}, description = "Create the PVCs without asking first.")
    boolean yes;

    @Option(names = "--dry-run", description = "Show what would be created, and create nothing.")
    boolean dryRun;

    @Option(names = "--poll-interval", paramLabel = "DURATION", defaultValue = "2s", hidden = true,
            description = "How often to look at the PVCs (default: ${DEFAULT-VALUE}).")
    String pollInterval = "2s";

    @Option(names = "--run-id", paramLabel = "ID", hidden = true, description = "Run id to use instead of a random one.")
    String runId;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        RestoreTestSettings settings = new RestoreTestSettings(ImageRef.parse(image), count,
                Optional.ofNullable(storageClass), Optional.ofNullable(namespace), Durations.parse(timeout), keep,
                Optional.ofNullable(accessMode), Optional.ofNullable(volumeMode), Optional.ofNullable(size),
                Optional.ofNullable(node), Durations.parse(pollInterval), Optional.ofNullable(runId));
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Config config = kubeconfig.config();
        try (KubernetesClient client = LeanSerialization.client(config)) {
            out.println("Cluster: " + KubeconfigOptions.describe(config));
            RestoreTestRunner runner = new RestoreTestRunner(client, out, Clock.systemUTC(), true)
                    .confirmWith(what -> confirm(what, out));
            RestoreProgress progress = System.console() != null
                    ? ProgressBarReporter.onTerminal(System.err)
                    : ProgressBarReporter.asLines(line -> {
                        err.println(line.strip());
                        err.flush();
                    });
            RestoreTestResult result;
            try {
                result = runner.run(settings, progress);
            } catch (RestoreTestRunner.NotCreated nothing) {
                out.println("Nothing created.");
                out.flush();
                return dryRun ? 0 : NOT_CONFIRMED;
            }
            out.print(summary(result, settings, spec.commandLine().getColorScheme().ansi()));
            out.flush();
            if (result.aborted()) {
                return INTERRUPTED;
            }
            return result.allBound() ? 0 : NOT_ALL_BOUND;
        } catch (KubernetesClientException e) {
            throw new IllegalStateException("cluster " + config.getMasterUrl() + ": " + describe(e), e);
        }
    }

    /** The API server's message, else the innermost cause (e.g. connection refused). */
    private static String describe(KubernetesClientException e) {
        if (e.getStatus() != null && e.getStatus().getMessage() != null && !e.getStatus().getMessage().isBlank()) {
            return e.getStatus().getMessage();
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName()
                : root.getClass().getSimpleName() + ": " + root.getMessage();
        return e.getMessage().lines().findFirst().orElse("").strip() + " (" + message + ")";
    }

    /** Says what will be created and, unless --yes or --dry-run, asks on standard input. */
    private boolean confirm(String what, PrintWriter out) {
        if (dryRun) {
            out.println("Dry run: would create " + what + ".");
            return false;
        }
        out.println("Will create " + what + ".");
        if (yes) {
            return true;
        }
        out.print("Create them? [y/N] ");
        out.flush();
        try {
            String answer = new java.io.BufferedReader(new java.io.InputStreamReader(System.in,
                    java.nio.charset.StandardCharsets.UTF_8)).readLine();
            if (answer == null) {
                out.println();
                out.println("No answer (standard input is closed); pass --yes to create without asking.");
                return false;
            }
            return answer.strip().equalsIgnoreCase("y") || answer.strip().equalsIgnoreCase("yes");
        } catch (java.io.IOException e) {
            return false;
        }
    }

    static String summary(RestoreTestResult result, RestoreTestSettings settings, Ansi ansi) {
        StringBuilder out = new StringBuilder();
        out.append('\n').append(ansi.string("@|bold Restore test " + result.runId() + "|@")).append(": ")
                .append(result.claims().size()).append(" PVC(s) from ").append(result.image().describe())
                .append(result.image().snapshotClass().map(vsc -> " (class " + vsc + ")").orElse(""))
                .append(" into namespace ").append(result.namespace()).append('\n');
        Table table = new Table("NAME", "PHASE", "TIME TO BOUND");
        for (ClaimOutcome claim : result.claims()) {
            table.row(claim.name(), claim.phase(), claim.timeToBound().map(Durations::format).orElse("-"));
        }
        out.append(table.render());

        List<Duration> times = result.timesToBound();
        out.append(ansi.string("@|bold Bound:|@ ")).append(result.boundCount()).append(" of ").append(result.claims().size())
                .append(" in ").append(Durations.format(result.elapsed()));
        if (!times.isEmpty()) {
            out.append(" (time to Bound: fastest ").append(Durations.format(times.get(0)))
                    .append(", median ").append(Durations.format(times.get(times.size() / 2)))
                    .append(", slowest ").append(Durations.format(times.get(times.size() - 1))).append(')');
        }
        out.append('\n');

        List<ClaimOutcome> failures = result.failures();
        if (!failures.isEmpty()) {
            out.append(ansi.string("@|bold,red Not Bound (" + failures.size() + "):|@")).append('\n');
            for (ClaimOutcome failure : failures) {
                out.append("  ").append(failure.name()).append(": ");
                if (failure.createError().isPresent()) {
                    out.append("could not be created: ").append(failure.createError().get()).append('\n');
                    continue;
                }
                out.append(failure.phase()).append(result.timedOut()
                        ? " after the " + Durations.format(settings.timeout()) + " timeout" : "").append('\n');
                failure.conditions().forEach(condition -> out.append("      condition ").append(condition).append('\n'));
                failure.events().forEach(event -> out.append("      event ").append(event).append('\n'));
                if (failure.conditions().isEmpty() && failure.events().isEmpty()) {
                    out.append("      no events or conditions yet\n");
                }
            }
        }

        out.append(ansi.string("@|bold Cleanup:|@ "));
        if (result.cleanup().kept()) {
            out.append("kept the PVCs (--keep); delete them with: kubectl delete pvc -n ").append(result.namespace())
                    .append(" -l ").append(RestoreClaims.RUN_LABEL).append('=').append(result.runId()).append('\n');
        } else {
            out.append("deleted ").append(result.cleanup().deleted().size()).append(" PVC(s)");
            if (!result.cleanup().problems().isEmpty()) {
                out.append("; could not delete: ").append(String.join("; ", result.cleanup().problems()))
                        .append(" (kubectl delete pvc -n ").append(result.namespace()).append(" -l ")
                        .append(RestoreClaims.RUN_LABEL).append('=').append(result.runId()).append(')');
            }
            out.append('\n');
        }

        out.append(ansi.string("@|bold Result:|@ "));
        if (result.aborted()) {
            out.append(ansi.string("@|yellow INTERRUPTED|@")).append(": ").append(result.boundCount()).append(" of ")
                    .append(result.claims().size()).append(" were Bound\n");
        } else if (result.allBound()) {
            out.append(ansi.string("@|green,bold PASS|@")).append(": ").append(result.claims().size())
                    .append(" restore(s) of one golden image Bound within ").append(Durations.format(result.elapsed()));
            out.append(result.claims().size() > LIMIT_PER_HOUR
                    ? ", more than the " + LIMIT_PER_HOUR + " an hour a ReadWriteMany snapshot allows\n"
                    : "; restore more than " + LIMIT_PER_HOUR + " (--count) to show the " + LIMIT_PER_HOUR
                    + "-an-hour limit is gone\n");
        } else {
            out.append(ansi.string("@|red,bold FAIL|@")).append(": ").append(result.boundCount()).append(" of ")
                    .append(result.claims().size()).append(" Bound")
                    .append(result.timedOut() ? " within the " + Durations.format(settings.timeout()) + " timeout" : "")
                    .append("; see why above\n");
        }
        return out.toString();
    }
}
