package dev.bootsource.operator;

import dev.bootsource.capabilities.CapabilityCatalogLoader;
import dev.bootsource.policy.BootSourcePolicy;
import dev.bootsource.policy.PolicyOptions;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.awaitility.Awaitility.await;

/**
 * Runs the real operator against a {@link MockCluster} and cleans both up after each test: every operator
 * started is closed, then the server.
 */
abstract class OperatorTestSupport {

    static final Duration CONVERGE = Duration.ofSeconds(20);

    protected MockCluster cluster;
    private final List<BootSourceOperator> operators = new ArrayList<>();

    @BeforeEach
    void startCluster() {
        cluster = new MockCluster();
    }

    @AfterEach
    void stopEverything() {
        operators.forEach(BootSourceOperator::close);
        cluster.close();
    }

    /** Quick to notice missing APIs, no leader election, health on a free port. */
    static OperatorSettings testSettings() {
        return new OperatorSettings(0, LeaseSettings.disabled(), Duration.ofMinutes(10), Duration.ofMillis(200), 4);
    }

    static BootSourcePolicy policy() {
        return new BootSourcePolicy(CapabilityCatalogLoader.bundled(), PolicyOptions.DEFAULTS);
    }

    static BootSourcePolicy policyWithoutAutoCreate() {
        return new BootSourcePolicy(CapabilityCatalogLoader.bundled(), PolicyOptions.DEFAULTS.withAutoCreate(false));
    }

    BootSourceOperator startOperator() {
        return startOperator(testSettings(), policy());
    }

    BootSourceOperator startOperator(OperatorSettings settings, BootSourcePolicy policy) {
        return startOperator(cluster.operatorClient(), settings, policy);
    }

    BootSourceOperator startOperator(KubernetesClient client, OperatorSettings settings, BootSourcePolicy policy) {
        BootSourceOperator operator = new BootSourceOperator(client, policy, settings);
        operators.add(operator);
        operator.start();
        return operator;
    }

    /** Starts the operator and waits until it reconciles. */
    BootSourceOperator startReadyOperator() {
        BootSourceOperator operator = startOperator();
        await().atMost(CONVERGE).until(operator::isReady);
        return operator;
    }

    void stop(BootSourceOperator operator) {
        operator.close();
        operators.remove(operator);
    }

    static HttpResponse<String> get(BootSourceOperator operator, String path) {
        try {
            return HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + operator.healthPort().orElseThrow() + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
