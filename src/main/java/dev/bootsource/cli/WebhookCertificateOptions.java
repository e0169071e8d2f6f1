package dev.bootsource.cli;

import dev.bootsource.errors.InvalidInputException;
import dev.bootsource.certificates.SelfManagedWebhookCertificates;
import io.fabric8.kubernetes.client.KubernetesClient;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * {@code run}'s options for a webhook certificate BootSource keeps itself, instead of cert-manager's: a CA
 * and certificate in a Secret of its namespace, written to {@code --tls-cert}/{@code --tls-key}, and the CA
 * written into the named MutatingWebhookConfiguration.
 */
final class WebhookCertificateOptions {

    @Option(names = "--manage-webhook-ca", paramLabel = "NAME",
            description = "Keep the webhook certificate without cert-manager: write BootSource's own CA into this "
                    + "MutatingWebhookConfiguration's caBundle, and the certificate to --tls-cert/--tls-key.")
    String webhookConfiguration;

    @Option(names = "--webhook-secret", paramLabel = "NAME", defaultValue = "bootsource-webhook-tls",
            description = "With --manage-webhook-ca: the Secret in BootSource's namespace that holds the CA and "
                    + "certificate (default: ${DEFAULT-VALUE}).")
    String secretName;

    @Option(names = "--webhook-service", paramLabel = "NAME", defaultValue = "bootsource-webhook",
            description = "With --manage-webhook-ca: the webhook's Service, whose DNS names the certificate carries "
                    + "(default: ${DEFAULT-VALUE}).")
    String serviceName;

    /** Starts keeping the certificate when asked to; the files exist when this returns (unless the API refused). */
    Optional<AutoCloseable> start(KubernetesClient client, String namespace, Path tlsCert, Path tlsKey) {
        if (webhookConfiguration == null) {
            return Optional.empty();
        }
        if (tlsCert == null || tlsKey == null) {
            throw new InvalidInputException("--manage-webhook-ca needs --tls-cert and --tls-key: the files it writes");
        }
        return Optional.of(new SelfManagedWebhookCertificates(client, new SelfManagedWebhookCertificates.Settings(
                namespace, secretName, webhookConfiguration, serviceName, tlsCert, tlsKey,
                SelfManagedWebhookCertificates.DEFAULT_CHECK_PERIOD), Clock.systemUTC()).start());
    }
}
