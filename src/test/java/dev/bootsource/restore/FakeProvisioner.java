package dev.bootsource.restore;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Stands in for the CSI provisioner the fabric8 mock server lacks: a background thread that marks
 * restore-test PVCs Bound (a status update), for the PVC names a test lets it bind.
 */
public final class FakeProvisioner {

    private final KubernetesClient client;
    private final Predicate<String> binds;
    private final Thread thread;
    private final Set<String> bound = ConcurrentHashMap.newKeySet();
    private volatile boolean running = true;

    private FakeProvisioner(KubernetesClient client, Predicate<String> binds) {
        this.client = client;
        this.binds = binds;
        this.thread = new Thread(this::loop, "fake-csi-provisioner");
        thread.setDaemon(true);
        thread.start();
    }

    public static FakeProvisioner binding(KubernetesClient client, Predicate<String> binds) {
        return new FakeProvisioner(client, binds);
    }

    public void stop() {
        running = false;
        thread.interrupt();
    }

    private void loop() {
        while (running) {
            try {
                bindMatching();
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                throw e;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void bindMatching() {
        for (PersistentVolumeClaim claim : client.persistentVolumeClaims().inAnyNamespace()
                .withLabel(RestoreClaims.RUN_LABEL).list().getItems()) {
            String name = claim.getMetadata().getName();
            if (binds.test(name) && bound.add(name)) {
                claim.setStatus(new PersistentVolumeClaimStatusBuilder().withPhase("Bound").build());
                client.persistentVolumeClaims().inNamespace(claim.getMetadata().getNamespace()).resource(claim).updateStatus();
            }
        }
    }
}
