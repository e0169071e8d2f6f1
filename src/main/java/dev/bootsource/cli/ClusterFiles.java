package dev.bootsource.cli;

import dev.bootsource.cluster.ClusterFileReader;
import dev.bootsource.cluster.ClusterSnapshot;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;

/** The cluster-state files a command reads, shared by the commands that decide offline. */
final class ClusterFiles {

    @Parameters(paramLabel = "FILE", arity = "1..*",
            description = "Files of Kubernetes objects (YAML or JSON; one object, several documents, or a kind: List); "
                    + "- reads standard input.")
    List<Path> files;

    ClusterSnapshot read() {
        return ClusterFileReader.read(files);
    }
}
