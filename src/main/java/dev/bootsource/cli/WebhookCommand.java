package dev.bootsource.cli;

import dev.bootsource.errors.InvalidInputException;
import dev.bootsource.input.ClusterFileReader;
import dev.bootsource.webhook.WebhookServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code bootsource webhook}: the admission webhook alone over a static cluster state, for trying it
 * and load-testing it without a cluster. Runs until interrupted.
 */
@Command(name = "webhook", mixinStandardHelpOptions = true,
        description = "Serve the admission webhook (POST /mutate over HTTPS) over a static cluster state until interrupted.")
final class WebhookCommand implements Callable<Integer> {

    @Option(names = "--cluster", paramLabel = "FILE", required = true, arity = "1..*",
            description = "Cluster state: Kubernetes objects in YAML or JSON (kubectl get -o yaml output).")
    List<Path> clusterFiles;

    @Option(names = "--port", paramLabel = "N", defaultValue = "" + WebhookServer.DEFAULT_PORT,
            description = "HTTPS port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = "PEM certificate chain (e.g. tls.crt); reloaded when it changes. Without it, a self-signed certificate.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM private key (e.g. tls.key) for --tls-cert.")
    Path tlsKey;

    @Option(names = "--address", paramLabel = "HOST",
            description = "Interface to listen on, a host name or IP address (default: all interfaces).")
    String address;

    @Option(names = "--client-ca", paramLabel = "FILE",
            description = "PEM CA certificate(s): require a client certificate they signed (the API server's).")
    Path clientCa;

    @Mixin
    PolicyOptionsMixin policyOptions;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        WebhookServer.Settings settings = new WebhookServer.Settings(Optional.ofNullable(address), port,
                Optional.ofNullable(tlsCert), Optional.ofNullable(tlsKey), Optional.ofNullable(clientCa));
        // The server waits for files a Secret has not got yet; here a missing file is a typo.
        for (Path file : new Path[] {tlsCert, tlsKey, clientCa}) {
            if (file != null && !Files.exists(file)) {
                throw new InvalidInputException(file + ": no such file");
            }
        }
        WebhookServer server = WebhookServer.start(settings, ClusterFileReader.read(clusterFiles), policyOptions.policy());
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "webhook-shutdown"));
        spec.commandLine().getErr().println("bootsource: admission webhook on https://"
                + (address == null ? "localhost" : address) + ":" + server.port()
                + "/mutate" + server.selfSignedCertificateFile().map(ca -> " (self-signed; CA file " + ca + ")").orElse(""));
        spec.commandLine().getErr().flush();
        new CountDownLatch(1).await();
        return 0;
    }
}
