package dev.bootsource.cli;

import dev.bootsource.cluster.ClusterFileReader;
import dev.bootsource.policy.ClusterPlan;
import dev.bootsource.policy.ClusterPlanner;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code plan}: what the operator would do to a cluster state read from files, changing nothing. */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {"Show what BootSource would do to the cluster state in FILE... (YAML or JSON: one object, "
                + "several documents, or a kind: List as `kubectl get -o yaml` prints), changing nothing."})
final class PlanCommand implements Callable<Integer> {

    enum Format { table, json }

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "table (for people) or json (SPEC shape). Default: ${DEFAULT-VALUE}.")
    Format format = Format.table;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Files of Kubernetes objects; - reads standard input.")
    List<Path> files;

    @Mixin
    PolicyOptionsMixin policyOptions;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        ClusterPlan plan = new ClusterPlanner(policyOptions.policy()).plan(ClusterFileReader.read(files));
        String rendered = format == Format.json
                ? PlanReport.json(plan)
                : PlanReport.table(plan, spec.commandLine().getColorScheme().ansi());
        spec.commandLine().getOut().print(rendered);
        if (format == Format.json) {
            spec.commandLine().getOut().println();
        }
        spec.commandLine().getOut().flush();
        return 0;
    }
}
