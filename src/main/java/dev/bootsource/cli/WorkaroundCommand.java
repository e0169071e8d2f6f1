package dev.bootsource.cli;

import dev.bootsource.policy.workaround.WorkaroundOptions;
import dev.bootsource.policy.workaround.WorkaroundPlan;
import dev.bootsource.policy.workaround.WorkaroundPlanner;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code workaround}: steps 1-6 of the manual GCP workaround as manifests, for clusters that cannot run the operator. */
@Command(name = "workaround", mixinStandardHelpOptions = true,
        description = {"Print, as multi-document YAML, what a cluster admin applies by hand when the BootSource "
                + "operator cannot run (steps 1-6 of the manual GCP workaround): the images VolumeSnapshotClass(es), the StorageProfile "
                + "annotations, and for a CDI that ignores those annotations an images-only copy of the default virt "
                + "StorageClass with the HyperConverged DataImportCron templates pointed at it. Step 2 and Step 6 "
                + "are commands in comments. Every document says what it is for. Apply with: kubectl apply -f FILE",
                "Input as for plan, with the DataImportCrons: `kubectl get dataimportcrons,volumesnapshots -A -o yaml`."})
final class WorkaroundCommand implements Callable<Integer> {

    @Option(names = "--storage-class", paramLabel = "NAME",
            description = "The StorageClass VM disks use, to copy as <NAME>-images for golden images. "
                    + "Default: the default virt class, else the default class.")
    String storageClass;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS", defaultValue = WorkaroundOptions.DEFAULT_HYPERCONVERGED_NAMESPACE,
            description = "Namespace of the HyperConverged resource. Default: that of the one HyperConverged resource the cluster has, else ${DEFAULT-VALUE}.")
    String namespace = WorkaroundOptions.DEFAULT_HYPERCONVERGED_NAMESPACE;

    @Option(names = "--hyperconverged", paramLabel = "NAME", defaultValue = WorkaroundOptions.DEFAULT_HYPERCONVERGED_NAME,
            description = "Name of the HyperConverged resource. Default: ${DEFAULT-VALUE}.")
    String hyperConverged = WorkaroundOptions.DEFAULT_HYPERCONVERGED_NAME;

    @Option(names = "--images-storage-class", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Write Steps 1, 4 and 5 (the images-only StorageClass, its profile and the templates), which "
                    + "a CDI that ignores the boot-source annotations needs (default: ${DEFAULT-VALUE}).")
    boolean imagesStorageClass = true;

    @Mixin
    ClusterFiles clusterFiles;

    @Mixin
    PolicyOptionsMixin policyOptions;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        WorkaroundPlanner planner = new WorkaroundPlanner(policyOptions.policy());
        ClusterFiles.Read read = clusterFiles.read(spec.commandLine().getErr());
        PlanCommand.requireStorageClasses(read);
        // the HyperConverged resource the cluster has, unless the admin named one
        var parsed = spec.commandLine().getParseResult();
        List<io.fabric8.kubernetes.api.model.GenericKubernetesResource> found = List.copyOf(read.cluster().hyperConvergeds());
        if (found.size() == 1 && !parsed.hasMatchedOption("--namespace") && !parsed.hasMatchedOption("--hyperconverged")) {
            namespace = found.get(0).getMetadata().getNamespace();
            hyperConverged = found.get(0).getMetadata().getName();
        }
        WorkaroundOptions options = new WorkaroundOptions(Optional.ofNullable(storageClass), namespace, hyperConverged,
                imagesStorageClass);
        WorkaroundPlan plan = planner.plan(read.cluster(), options);
        PrintWriter out = spec.commandLine().getOut();
        out.print(WorkaroundReport.yaml(plan, read.source()));
        out.flush();
        return 0;
    }
}
