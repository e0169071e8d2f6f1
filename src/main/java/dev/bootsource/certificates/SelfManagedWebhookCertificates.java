package dev.bootsource.certificates;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the webhook's certificate without cert-manager. Every replica, at start and then periodically:
 * <ol>
 *   <li>reads the Secret in BootSource's namespace; creates it with a new CA and serving certificate when
 *       it is missing, renews what {@link WebhookCertificateMaterial#verdict} says is due (an update with the
 *       resourceVersion it read, so two replicas never both win);</li>
 *   <li>writes the serving certificate and key to the files the webhook serves (it reloads them);</li>
 *   <li>writes the CA bundle into every webhook of BootSource's own MutatingWebhookConfiguration whose
 *       {@code caBundle} differs (a JSON patch that tests each webhook's name first).</li>
 * </ol>
 * It needs get/update on that one Secret, create on Secrets in its namespace, and get/patch on that one
 * MutatingWebhookConfiguration, nothing else.
 */
public final class SelfManagedWebhookCertificates implements AutoCloseable {

    /** How often the Secret and the registration are checked again. */
    public static final Duration DEFAULT_CHECK_PERIOD = Duration.ofMinutes(10);
    /** After a failed check (API server unreachable, a refusal), the next one comes this soon. */
    static final Duration RETRY_PERIOD = Duration.ofSeconds(30);

    private static final Logger log = LoggerFactory.getLogger(SelfManagedWebhookCertificates.class);

    /** Where the certificate lives and where it goes. */
    public record Settings(String namespace, String secretName, String webhookConfigurationName, String serviceName,
                           Path certificateFile, Path keyFile, Duration checkPeriod) {
        public Settings {
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(secretName, "secretName");
            Objects.requireNonNull(webhookConfigurationName, "webhookConfigurationName");
            Objects.requireNonNull(serviceName, "serviceName");
            Objects.requireNonNull(certificateFile, "certificateFile");
            Objects.requireNonNull(keyFile, "keyFile");
            Objects.requireNonNull(checkPeriod, "checkPeriod");
        }

        List<String> dnsNames() {
            return WebhookCertificateMaterial.serviceDnsNames(serviceName, namespace);
        }
    }

    private final KubernetesClient client;
    private final Settings settings;
    private final Clock clock;
    private ScheduledExecutorService schedule;
    /** When the last check succeeded, on {@link #clock}; null before the first success. */
    private volatile java.time.Instant lastSuccess;

    public SelfManagedWebhookCertificates(KubernetesClient client, Settings settings, Clock clock) {
        this.client = client;
        this.settings = settings;
        this.clock = clock;
    }

    /** Checks once now (the files exist when this returns, unless the API server refused), then periodically. */
    public SelfManagedWebhookCertificates start() {
        checkLogged();
        schedule = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "bootsource-webhook-certificates");
            thread.setDaemon(true);
            return thread;
        });
        long tick = Math.min(settings.checkPeriod().toMillis(), RETRY_PERIOD.toMillis());
        schedule.scheduleWithFixedDelay(this::checkWhenDue, tick, tick, TimeUnit.MILLISECONDS);
        return this;
    }

    /** A check every period, and sooner again while the last one failed. */
    private void checkWhenDue() {
        java.time.Instant last = lastSuccess;
        if (last == null || !clock.instant().isBefore(last.plus(settings.checkPeriod()))) {
            checkLogged();
        }
    }

    @Override
    public void close() {
        if (schedule != null) {
            schedule.shutdownNow();
        }
    }

    private void checkLogged() {
        try {
            check();
            lastSuccess = clock.instant();
        } catch (RuntimeException e) {
            log.atWarn().addKeyValue("secret", settings.namespace() + "/" + settings.secretName())
                    .addKeyValue("webhook", settings.webhookConfigurationName())
                    .log("keeping the webhook certificate failed, trying again in " + RETRY_PERIOD.toSeconds() + " s: " + e.getMessage());
        }
    }

    /** One pass: the Secret current, the files written, the registration's caBundle current. */
    public WebhookCertificateMaterial check() {
        WebhookCertificateMaterial material = currentMaterial();
        writeFiles(material);
        injectCaBundle(material.caBundle());
        return material;
    }

    private WebhookCertificateMaterial currentMaterial() {
        for (int attempt = 0; attempt < 3; attempt++) {
            Secret secret = secrets().withName(settings.secretName()).get();
            if (secret == null) {
                WebhookCertificateMaterial issued = WebhookCertificateMaterial.issue(settings.dnsNames(), clock.instant());
                try {
                    secrets().resource(newSecret(issued)).create();
                    log.atInfo().addKeyValue("secret", settings.namespace() + "/" + settings.secretName())
                            .log("created the webhook's CA and certificate, valid until " + issued.certificateNotAfter());
                    return issued;
                } catch (KubernetesClientException e) {
                    if (e.getCode() != 409) {
                        throw e;
                    }
                    continue; // another replica created it first: use theirs
                }
            }
            var stored = WebhookCertificateMaterial.fromSecretData(decode(secret.getData()));
            WebhookCertificateMaterial.Verdict verdict = stored
                    .map(material -> material.verdict(settings.dnsNames(), clock.instant()))
                    .orElseGet(() -> new WebhookCertificateMaterial.Verdict.NewAuthority("the Secret lacks some of its entries"));
            if (verdict instanceof WebhookCertificateMaterial.Verdict.Keep) {
                return stored.orElseThrow();
            }
            WebhookCertificateMaterial next = stored
                    .map(material -> material.next(verdict, settings.dnsNames(), clock.instant()))
                    .orElseGet(() -> WebhookCertificateMaterial.issue(settings.dnsNames(), clock.instant()));
            secret.setData(encode(next.asSecretData()));
            try {
                secrets().resource(secret).update(); // carries the resourceVersion it was decided on
                log.atInfo().addKeyValue("secret", settings.namespace() + "/" + settings.secretName())
                        .log("renewed the webhook certificate (" + verdict.reason() + "), valid until " + next.certificateNotAfter());
                return next;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
                // another replica renewed it meanwhile: read theirs
            }
        }
        throw new IllegalStateException("the Secret " + settings.secretName() + " kept changing; trying again later");
    }

    private void writeFiles(WebhookCertificateMaterial material) {
        // Key first: until the certificate follows, the server keeps serving the last pair that fits.
        writeIfChanged(settings.keyFile(), material.key());
        writeIfChanged(settings.certificateFile(), material.certificate());
    }

    private void injectCaBundle(String caBundle) {
        String encoded = Base64.getEncoder().encodeToString(caBundle.getBytes(StandardCharsets.US_ASCII));
        MutatingWebhookConfiguration configuration = client.admissionRegistration().v1().mutatingWebhookConfigurations()
                .withName(settings.webhookConfigurationName()).get();
        if (configuration == null) {
            log.atWarn().addKeyValue("webhook", settings.webhookConfigurationName())
                    .log("no MutatingWebhookConfiguration of this name: the API server will not call the webhook");
            return;
        }
        List<Map<String, Object>> patch = new ArrayList<>();
        List<MutatingWebhook> webhooks = configuration.getWebhooks() == null ? List.of() : configuration.getWebhooks();
        for (int i = 0; i < webhooks.size(); i++) {
            MutatingWebhook webhook = webhooks.get(i);
            if (webhook.getClientConfig() == null || encoded.equals(webhook.getClientConfig().getCaBundle())) {
                continue;
            }
            patch.add(operation("test", "/webhooks/" + i + "/name", webhook.getName()));
            patch.add(operation("add", "/webhooks/" + i + "/clientConfig/caBundle", encoded));
        }
        if (patch.isEmpty()) {
            return;
        }
        client.admissionRegistration().v1().mutatingWebhookConfigurations().withName(settings.webhookConfigurationName())
                .patch(PatchContext.of(PatchType.JSON), client.getKubernetesSerialization().asJson(patch));
        log.atInfo().addKeyValue("webhook", settings.webhookConfigurationName())
                .log("wrote BootSource's CA into the webhook registration's caBundle");
    }

    private static Map<String, Object> operation(String op, String path, Object value) {
        Map<String, Object> operation = new LinkedHashMap<>();
        operation.put("op", op);
        operation.put("path", path);
        operation.put("value", value);
        return operation;
    }

    private Secret newSecret(WebhookCertificateMaterial material) {
        return new SecretBuilder()
                .withNewMetadata()
                .withName(settings.secretName())
                .withNamespace(settings.namespace())
                .addToLabels("app.kubernetes.io/name", "bootsource")
                .addToLabels("app.kubernetes.io/managed-by", "bootsource")
                .endMetadata()
                .withType("kubernetes.io/tls")
                .withData(encode(material.asSecretData()))
                .build();
    }

    private io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<Secret, io.fabric8.kubernetes.api.model.SecretList,
            io.fabric8.kubernetes.client.dsl.Resource<Secret>> secrets() {
        return client.secrets().inNamespace(settings.namespace());
    }

    private static Map<String, String> encode(Map<String, String> data) {
        Map<String, String> encoded = new LinkedHashMap<>();
        data.forEach((key, value) -> encoded.put(key, Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.US_ASCII))));
        return encoded;
    }

    private static Map<String, String> decode(Map<String, String> data) {
        Map<String, String> decoded = new LinkedHashMap<>();
        if (data != null) {
            data.forEach((key, value) -> decoded.put(key, new String(Base64.getDecoder().decode(value), StandardCharsets.US_ASCII)));
        }
        return decoded;
    }

    private static void writeIfChanged(Path file, String content) {
        try {
            if (Files.exists(file) && Files.readString(file, StandardCharsets.US_ASCII).equals(content)) {
                return;
            }
            Path directory = file.toAbsolutePath().getParent();
            Files.createDirectories(directory);
            Path temporary = Files.createTempFile(directory, ".bootsource-", ".tmp");
            Files.writeString(temporary, content, StandardCharsets.US_ASCII);
            try {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
