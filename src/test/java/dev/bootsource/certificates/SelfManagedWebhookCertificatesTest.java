package dev.bootsource.certificates;

import dev.bootsource.operator.FaultInjectingDispatcher;
import dev.bootsource.operator.MockCluster;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Self-managed webhook certificates against a (mock) API server in CRUD mode. */
class SelfManagedWebhookCertificatesTest {

    static final String NAMESPACE = "bootsource";
    static final String SECRET = "bootsource-webhook-tls";
    static final String WEBHOOK = "bootsource";
    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private MockCluster cluster;
    @TempDir
    Path files;

    @BeforeEach
    void start() {
        cluster = new MockCluster();
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void theFirstReplicaCreatesTheSecretWritesTheFilesAndInjectsTheCa() throws Exception {
        registerWebhook();

        WebhookCertificateMaterial material = certificates(cluster.operatorClient(), files, NOW).check();

        Secret secret = secret();
        assertThat(secret.getType()).isEqualTo("kubernetes.io/tls");
        assertThat(decoded(secret, "ca.crt")).isEqualTo(material.caBundle());
        assertThat(Files.readString(files.resolve("tls.crt"))).isEqualTo(material.certificate());
        assertThat(Files.readString(files.resolve("tls.key"))).isEqualTo(material.key());
        assertThat(caBundles()).containsExactly(material.caBundle(), material.caBundle());
    }

    @Test
    void aSecondReplicaUsesTheSameCertificateAndWritesNothing() throws Exception {
        registerWebhook();
        WebhookCertificateMaterial first = certificates(cluster.operatorClient(), files, NOW).check();
        cluster.clearRequests();

        Path otherFiles = Files.createDirectories(files.resolve("other"));
        WebhookCertificateMaterial second = certificates(cluster.operatorClient(), otherFiles, NOW).check();

        assertThat(second).isEqualTo(first);
        assertThat(Files.readString(otherFiles.resolve("tls.crt"))).isEqualTo(first.certificate());
        assertThat(cluster.requests()).as("only reads").allMatch(request -> !request.isWrite());
    }

    @Test
    void anExpiringCertificateIsRenewedFromTheSameCaAndTheBundleStays() throws Exception {
        registerWebhook();
        WebhookCertificateMaterial first = certificates(cluster.operatorClient(), files, NOW).check();
        cluster.clearRequests();

        WebhookCertificateMaterial renewed = certificates(cluster.operatorClient(), files, NOW.plus(Duration.ofDays(340))).check();

        assertThat(renewed.certificate()).isNotEqualTo(first.certificate());
        assertThat(renewed.caBundle()).isEqualTo(first.caBundle());
        assertThat(decoded(secret(), "tls.crt")).isEqualTo(renewed.certificate());
        assertThat(Files.readString(files.resolve("tls.crt"))).isEqualTo(renewed.certificate());
        assertThat(cluster.requests()).filteredOn(FaultInjectingDispatcher.Request::isWrite)
                .singleElement().satisfies(write -> {
                    assertThat(write.method()).isEqualTo("PUT");
                    assertThat(write.body()).contains("\"resourceVersion\"");
                });
    }

    @Test
    void aCaBundleSomeoneChangedIsWrittenBack() {
        registerWebhook();
        WebhookCertificateMaterial material = certificates(cluster.operatorClient(), files, NOW).check();
        MutatingWebhookConfiguration changed = cluster.admin().admissionRegistration().v1().mutatingWebhookConfigurations()
                .withName(WEBHOOK).get();
        changed.getWebhooks().get(1).getClientConfig().setCaBundle(Base64.getEncoder().encodeToString("old".getBytes()));
        cluster.admin().resource(changed).update();

        certificates(cluster.operatorClient(), files, NOW).check();

        assertThat(caBundles()).containsExactly(material.caBundle(), material.caBundle());
    }

    @Test
    void startChecksAtOnceSoTheFilesExistBeforeTheWebhookServes() {
        registerWebhook();

        try (SelfManagedWebhookCertificates certificates = certificates(cluster.operatorClient(), files, NOW).start()) {
            assertThat(files.resolve("tls.crt")).exists();
            assertThat(files.resolve("tls.key")).exists();
            assertThat(caBundles()).allSatisfy(bundle -> assertThat(bundle).startsWith("-----BEGIN CERTIFICATE-----"));
        }
    }

    @Test
    void theKeyFileIsReadableByItsOwnerOnly() throws Exception {
        certificates(cluster.operatorClient(), files, NOW).check();

        assertThat(java.nio.file.Files.getPosixFilePermissions(files.resolve("tls.key")))
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void withoutItsRegistrationTheCertificateIsStillKept() {
        WebhookCertificateMaterial material = certificates(cluster.operatorClient(), files, NOW).check();

        assertThat(files.resolve("tls.crt")).hasContent(material.certificate());
    }

    @Test
    void anUpgradeKeepsTheCaInTheSecretAndRenewsFromIt() throws Exception {
        registerWebhook();
        WebhookCertificateMaterial earlier = EarlierReleaseMaterial.issue(
                WebhookCertificateMaterial.serviceDnsNames("bootsource-webhook", NAMESPACE), NOW, EarlierReleaseMaterial.KeyForm.SEC1);
        cluster.admin().secrets().inNamespace(NAMESPACE).resource(new SecretBuilder()
                .withNewMetadata().withName(SECRET).withNamespace(NAMESPACE).endMetadata()
                .withType("kubernetes.io/tls")
                .withData(Map.of("ca.crt", encoded(earlier.caBundle()), "ca.key", encoded(earlier.caKey()),
                        "tls.crt", encoded(earlier.certificate()), "tls.key", encoded(earlier.key())))
                .build()).create();

        WebhookCertificateMaterial kept = certificates(cluster.operatorClient(), files, NOW).check();
        WebhookCertificateMaterial renewed = certificates(cluster.operatorClient(), files, NOW.plus(Duration.ofDays(340))).check();

        assertThat(kept).isEqualTo(earlier);
        assertThat(renewed.certificate()).isNotEqualTo(earlier.certificate());
        assertThat(renewed.caBundle()).isEqualTo(earlier.caBundle());
        assertThat(decoded(secret(), "ca.key")).as("the CA key stays as it was written").isEqualTo(earlier.caKey());
        WebhookCertificateMaterial.certificates(renewed.certificate()).get(0)
                .verify(WebhookCertificateMaterial.certificates(earlier.caBundle()).get(0).getPublicKey());
        assertThat(caBundles()).containsExactly(earlier.caBundle(), earlier.caBundle());
    }

    static SelfManagedWebhookCertificates certificates(KubernetesClient client, Path directory, Instant now) {
        return new SelfManagedWebhookCertificates(client, new SelfManagedWebhookCertificates.Settings(NAMESPACE, SECRET, WEBHOOK,
                "bootsource-webhook", directory.resolve("tls.crt"), directory.resolve("tls.key"), Duration.ofMinutes(10)),
                Clock.fixed(now, ZoneOffset.UTC));
    }

    /** BootSource's registration as the chart renders it (two webhooks here, to see that each gets the CA). */
    void registerWebhook() {
        cluster.admin().resource(new MutatingWebhookConfigurationBuilder()
                .withNewMetadata().withName(WEBHOOK).endMetadata()
                .addNewWebhook().withName("golden-images.bootsource.dev").withSideEffects("None")
                .withAdmissionReviewVersions("v1").withNewClientConfig().withNewService().withName("bootsource-webhook")
                .withNamespace(NAMESPACE).withPath("/mutate").endService().endClientConfig().endWebhook()
                .addNewWebhook().withName("second.bootsource.dev").withSideEffects("None")
                .withAdmissionReviewVersions("v1").withNewClientConfig().withNewService().withName("bootsource-webhook")
                .withNamespace(NAMESPACE).withPath("/mutate").endService().endClientConfig().endWebhook()
                .build()).create();
    }

    private Secret secret() {
        return cluster.admin().secrets().inNamespace(NAMESPACE).withName(SECRET).get();
    }

    private List<String> caBundles() {
        return cluster.admin().admissionRegistration().v1().mutatingWebhookConfigurations().withName(WEBHOOK).get()
                .getWebhooks().stream()
                .map(webhook -> new String(Base64.getDecoder().decode(webhook.getClientConfig().getCaBundle()), StandardCharsets.US_ASCII))
                .toList();
    }

    private static String encoded(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
    }

    private static String decoded(Secret secret, String key) {
        return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.US_ASCII);
    }
}
