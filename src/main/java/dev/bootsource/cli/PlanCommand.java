package dev.bootsource.cli;

import dev.bootsource.errors.InvalidInputException;
import dev.bootsource.policy.ClusterPlan;
import dev.bootsource.policy.ClusterPlanner;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code plan}: what the operator would do to a cluster state read from files, changing nothing. */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {"Show what BootSource would do to the cluster state in FILE... (YAML or JSON: one object, "
                + "several documents, or a kind: List as `kubectl get -o yaml` prints), or without FILE to the cluster "
                + "of the current kubeconfig context, changing nothing."})
final class PlanCommand implements Callable<Integer> {

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "table (for people) or json (SPEC shape). Default: ${DEFAULT-VALUE}.")
    OutputFormat format = OutputFormat.table;

    @Mixin
    ClusterFiles clusterFiles;

    @Mixin
    PolicyOptionsMixin policyOptions;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        ClusterPlanner planner = new ClusterPlanner(policyOptions.policy());
        ClusterFiles.Read read = clusterFiles.read(spec.commandLine().getErr());
        requireStorageClasses(read);
        ClusterPlan plan = planner.plan(read.cluster());
        PrintWriter out = spec.commandLine().getOut();
        if (format == OutputFormat.json) {
            PlanReport.json(plan, out);
            out.println();
        } else {
            PlanReport.table(plan, spec.commandLine().getColorScheme().ansi(), out);
        }
        out.flush();
        return 0;
    }

    /** A plan over no StorageClasses says nothing; it is bad input, not an empty answer. */
    static void requireStorageClasses(ClusterFiles.Read read) {
        if (read.cluster().storageClasses().isEmpty()) {
            throw new InvalidInputException(read.source() + ": no StorageClasses read, so there is nothing to decide on; "
                    + "include `kubectl get storageclasses,volumesnapshotclasses,storageprofiles -o yaml`");
        }
    }
}
