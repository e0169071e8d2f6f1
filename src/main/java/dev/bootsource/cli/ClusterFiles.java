package dev.bootsource.cli;

import dev.bootsource.input.LeanSerialization;
import dev.bootsource.errors.InvalidInputException;
import dev.bootsource.input.ClusterApiReader;
import dev.bootsource.input.ClusterFileReader;
import dev.bootsource.cluster.ClusterSnapshot;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The cluster state a deciding command reads: files of Kubernetes objects, or, with no FILE, the live
 * cluster of the current kubeconfig (get and list only). Either way it says on standard error how many
 * objects of each kind it read, before the command's answer.
 */
final class ClusterFiles {

    @Parameters(paramLabel = "FILE", arity = "0..*",
            description = "Files of Kubernetes objects (YAML or JSON; one object, several documents, or a kind: List); "
                    + "- reads standard input. Without FILE: the cluster of the current kubeconfig context, read with "
                    + "get and list only.")
    List<Path> files = new ArrayList<>();

    @Mixin
    KubeconfigOptions kubeconfig;

    /** What was read, and from where. */
    record Read(ClusterSnapshot cluster, String source, Map<String, Integer> counts) {
    }

    ClusterSnapshot read() {
        return read(new PrintWriter(System.err, true)).cluster();
    }

    /** Reads the files, or the live cluster; progress, problems and the counts go to {@code err}. */
    Read read(PrintWriter err) {
        Read read;
        if (files != null && !files.isEmpty()) {
            if (kubeconfig.kubeconfig != null || kubeconfig.context != null) {
                throw new InvalidInputException("--kubeconfig and --context are for reading a live cluster; "
                        + "leave them out when reading FILEs");
            }
            ClusterFileReader reader = ClusterFileReader.readAll(files);
            reader.warnings().forEach(warning -> err.println("bootsource: warning: " + warning));
            read = new Read(reader.snapshot(), String.join(" ", files.stream().map(Path::toString).toList()), reader.counts());
        } else {
            Config config = kubeconfig.config();
            String where = KubeconfigOptions.describe(config);
            err.println("Reading cluster " + where + " (get and list only)...");
            err.flush();
            try (KubernetesClient client = LeanSerialization.client(config)) {
                ClusterApiReader reader = new ClusterApiReader(client, line -> {
                    err.println("  " + line);
                    err.flush();
                });
                read = new Read(reader.read(), "cluster " + where, reader.counts());
            }
        }
        err.println("Read from " + read.source() + ": " + summary(read.counts()));
        err.flush();
        return read;
    }

    /** e.g. "3 StorageClasses, 2 VolumeSnapshotClasses, 0 DataImportCrons". */
    static String summary(Map<String, Integer> counts) {
        List<String> parts = new ArrayList<>();
        counts.forEach((kind, count) -> parts.add(count + " " + plural(kind, count)));
        return String.join(", ", parts);
    }

    private static String plural(String kind, int count) {
        if (count == 1) {
            return kind;
        }
        return kind.endsWith("s") ? kind + "es" : kind.equals("CDI") ? "CDIs" : kind + "s";
    }
}
