package dev.bootsource.cli;

import dev.bootsource.errors.InvalidInputException;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code --kubeconfig} and {@code --context}, shared by every command that talks to a cluster. A context
 * that the kubeconfig does not have is an error naming it, never a silent fall-back to the current one.
 */
final class KubeconfigOptions {

    private static final int REQUEST_RETRIES = 3;

    @Option(names = "--kubeconfig", paramLabel = "FILE", description = "Kubeconfig file. Default: $KUBECONFIG or ~/.kube/config.")
    Path kubeconfig;

    @Option(names = "--context", paramLabel = "NAME", description = "Kubeconfig context. Default: the current one.")
    String context;

    /**
     * The client configuration for the chosen kubeconfig and context (or the in-cluster config).
     *
     * @throws IllegalArgumentException when the kubeconfig file is missing or has no such context
     */
    Config config() {
        Config config;
        if (kubeconfig != null) {
            if (!Files.isRegularFile(kubeconfig)) {
                throw new InvalidInputException(kubeconfig + ": no such kubeconfig file");
            }
            config = Config.fromKubeconfig(context, kubeconfig.toFile());
        } else {
            config = Config.autoConfigure(context);
        }
        if (context != null) {
            String current = Optional.ofNullable(config.getCurrentContext()).map(NamedContext::getName).orElse(null);
            if (!context.equals(current)) {
                List<String> known = Optional.ofNullable(config.getContexts()).orElse(List.of()).stream()
                        .map(NamedContext::getName).filter(Objects::nonNull).sorted().toList();
                throw new InvalidInputException("context '" + context + "' is not in the kubeconfig"
                        + (kubeconfig != null ? " " + kubeconfig : "")
                        + (known.isEmpty() ? "" : "; it has: " + String.join(", ", known)));
            }
        }
        // a few quick retries ride out a hiccup; an unreachable cluster is reported in seconds, not minutes
        config.setRequestRetryBackoffLimit(REQUEST_RETRIES);
        return config;
    }

    /** "context NAME at URL", or "URL" for the in-cluster config, for logs and messages. */
    static String describe(Config config) {
        String url = config.getMasterUrl();
        return Optional.ofNullable(config.getCurrentContext()).map(NamedContext::getName)
                .map(name -> "context " + name + " (" + url + ")")
                .orElse(url + " (in-cluster config)");
    }
}
