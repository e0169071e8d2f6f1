package dev.bootsource.cli;

import dev.bootsource.errors.InvalidInputException;
import dev.bootsource.input.ClusterFileReader;
import dev.bootsource.cluster.ClusterSnapshot;
import dev.bootsource.webhook.AdmissionReviewer;
import dev.bootsource.webhook.MalformedReviewException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code bootsource admit}: the AdmissionReview response the webhook would return for one request
 * against a cluster state, answered by the same code as the server. The response goes to stdout,
 * the decision and its reason to stderr.
 */
@Command(name = "admit", mixinStandardHelpOptions = true,
        description = "Print the AdmissionReview response the webhook would return for a request against a cluster state.")
final class AdmitCommand implements Callable<Integer> {

    @Option(names = "--cluster", paramLabel = "FILE", required = true, arity = "1..*",
            description = "Cluster state: Kubernetes objects in YAML or JSON (kubectl get -o yaml output).")
    List<Path> clusterFiles;

    @Option(names = "--request", paramLabel = "FILE", required = true,
            description = "An admission.k8s.io/v1 AdmissionReview request in JSON; - reads standard input.")
    Path request;

    @Mixin
    PolicyOptionsMixin policyOptions;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ClusterSnapshot cluster = ClusterFileReader.read(clusterFiles);
        byte[] body = ClusterFileReader.readText(request).getBytes(StandardCharsets.UTF_8);
        AdmissionReviewer.Review review;
        try {
            review = new AdmissionReviewer(cluster, policyOptions.policy()).review(body);
        } catch (MalformedReviewException e) {
            throw new InvalidInputException(request + ": not an AdmissionReview request: " + e.getMessage());
        }
        spec.commandLine().getOut().println(new String(review.response(), StandardCharsets.UTF_8));
        spec.commandLine().getOut().flush();
        spec.commandLine().getErr().println(review.summary());
        return 0;
    }
}
