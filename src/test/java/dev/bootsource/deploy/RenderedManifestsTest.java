package dev.bootsource.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.bootsource.cluster.KubernetesObjects;
import io.fabric8.kubernetes.api.model.ConfigMap;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plain files in deploy/ are the chart rendered, and stay so: {@code deploy/bootsource.yaml} (defaults,
 * for {@code kubectl apply -f}) and deploy/monitoring/ (ServiceMonitor, PrometheusRule, its rule groups for
 * promtool, the Grafana dashboard). After changing the chart, regenerate them with
 * {@code mvn -B test -Dtest=RenderedManifestsTest -Dbootsource.regenerate=true}.
 */
class RenderedManifestsTest {

    static final Path MANIFEST = Path.of("deploy/bootsource.yaml");
    static final Path MONITORING = Path.of("deploy/monitoring");
    static final Path DASHBOARD = Chart.DIRECTORY.resolve("files/bootsource-dashboard.json");
    private static final boolean REGENERATE = Boolean.getBoolean("bootsource.regenerate");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR));

    private static final String MANIFEST_HEADER = """
            # BootSource for `kubectl apply -f`: the Helm chart deploy/helm/bootsource rendered with its default
            # values (release `bootsource`, namespace `bootsource`, the Namespace included). Generated; edit the
            # chart instead, then regenerate (see deploy/README.md).
            """;
    private static final String MONITORING_HEADER = """
            # Rendered from the Helm chart deploy/helm/bootsource (release `bootsource`, namespace `bootsource`).
            # Generated; edit the chart instead, then regenerate (see deploy/README.md).
            """;

    /** The values deploy/monitoring/ is rendered with. */
    static final Map<String, Object> MONITORING_VALUES = Map.of("metrics.serviceMonitor.enabled", true,
            "metrics.prometheusRule.enabled", true, "metrics.dashboard.enabled", true);

    @Test
    void theKubectlManifestIsTheChartWithItsDefaults() throws IOException {
        String expected = MANIFEST_HEADER + Chart.render(Map.of("createNamespace", true));

        check(MANIFEST, expected);
        assertThat(Chart.Rendered.of(Files.readString(MANIFEST)).objects()).isNotEmpty();
    }

    @Test
    void theMonitoringFilesAreTheChartsMonitoringObjects() throws IOException {
        Map<String, String> documents = documentsBySource(Chart.render(MONITORING_VALUES));

        check(MONITORING.resolve("servicemonitor.yaml"), MONITORING_HEADER + documents.get("servicemonitor.yaml"));
        String rule = documents.get("prometheusrule.yaml");
        check(MONITORING.resolve("prometheusrule.yaml"), MONITORING_HEADER + rule);
        String ruleFile = specOf(rule);
        check(MONITORING.resolve("rules.yaml"), """
                # The PrometheusRule's rule groups as a Prometheus rule file, for `promtool check rules` and
                # `promtool test rules` (tests/), and for a Prometheus without the Prometheus Operator.
                """ + MONITORING_HEADER + ruleFile);
        JsonNode spec = KubernetesObjects.split(rule, "prometheusrule.yaml").get(0).path("spec");
        assertThat(YAML.readTree(ruleFile)).as("the rule file is the PrometheusRule's spec").isEqualTo(spec);
        check(MONITORING.resolve("bootsource-dashboard.json"), Files.readString(DASHBOARD));
    }

    @Test
    void theDashboardConfigMapCarriesTheDashboardFile() throws IOException {
        ConfigMap dashboard = Chart.renderObjects(MONITORING_VALUES).get(ConfigMap.class, "bootsource-dashboard");

        assertThat(dashboard.getData().get("bootsource-dashboard.json")).isEqualTo(Files.readString(DASHBOARD).strip());
        assertThat(new ObjectMapper().readTree(Files.readString(DASHBOARD)).path("panels").size()).isGreaterThan(10);
    }

    @Test
    void everyAlertHasAUnitTestWhereItFiresAndARunbook() throws IOException {
        JsonNode tests = YAML.readTree(MONITORING.resolve("tests/alerts-test.yaml").toFile());
        java.util.Set<String> firing = new java.util.TreeSet<>();
        tests.path("tests").forEach(test -> test.path("alert_rule_test").forEach(check -> {
            if (!check.path("exp_alerts").isEmpty()) {
                firing.add(check.path("alertname").asText());
            }
        }));
        java.util.Set<String> alerts = new java.util.TreeSet<>();
        YAML.readTree(MONITORING.resolve("rules.yaml").toFile()).path("groups")
                .forEach(group -> group.path("rules").forEach(rule -> alerts.add(rule.path("alert").asText())));

        assertThat(alerts).contains("BootSourceOperatorDown", "BootSourceReconcileErrors", "BootSourceWebhookErrors",
                "BootSourceWebhookNotCalled", "BootSourceWebhookCertificateExpiring", "BootSourceGoldenSnapshotBlocked",
                "BootSourceGoldenSnapshotRecreationLoop", "BootSourceProfileWarnings", "BootSourceCdiModeChanged");
        assertThat(firing).as("alerts with a promtool test where they fire").isEqualTo(alerts);
        assertThat(alerts).allSatisfy(alert -> assertThat(Path.of("docs/runbooks", alert + ".md")).exists());
    }

    /** The {@code spec:} block of a rendered object, as its own document (the template's text, unindented once). */
    static String specOf(String document) {
        StringBuilder spec = new StringBuilder();
        boolean inSpec = false;
        for (String line : document.split("\n")) {
            if (line.equals("spec:")) {
                inSpec = true;
            } else if (inSpec && (line.startsWith("  ") || line.isEmpty())) {
                spec.append(line.isEmpty() ? "" : line.substring(2)).append('\n');
            } else if (inSpec) {
                break;
            }
        }
        return spec.toString();
    }

    /** The rendered documents by the template they came from ({@code # Source: bootsource/templates/X}). */
    static Map<String, String> documentsBySource(String rendered) {
        Map<String, String> documents = new LinkedHashMap<>();
        for (String document : rendered.split("(?m)^---\\s*$")) {
            String text = document.strip();
            java.util.regex.Matcher source = java.util.regex.Pattern.compile("^# Source: [^/]+/templates/(\\S+)").matcher(text);
            if (source.find()) {
                documents.merge(source.group(1), "---\n" + text + "\n", String::concat);
            }
        }
        return documents;
    }

    private static void check(Path file, String expected) throws IOException {
        if (REGENERATE) {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, expected);
        }
        assertThat(file).as(file + " is generated from the chart; regenerate it with -Dbootsource.regenerate=true").exists();
        assertThat(Files.readString(file)).as(file + " differs from the chart; regenerate it with -Dbootsource.regenerate=true")
                .isEqualTo(expected);
    }
}
