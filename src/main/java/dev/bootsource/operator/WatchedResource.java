package dev.bootsource.operator;

import dev.bootsource.errors.ErrorMessages;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A kind BootSource lists and watches with an informer of its own.
 *
 * <p>Transient failures such as an unreachable API server are left to the informer, which keeps
 * retrying with back-off; a refusal before the first sync (403, 404) stops it until the next check.
 */
final class WatchedResource<T extends HasMetadata> extends CachedResource<T> {

    private final KubernetesClient client;
    private final Function<KubernetesClient, Informable<T>> source;

    private volatile SharedIndexInformer<T> informer;

    /**
     * @param feature     what stops working while this kind cannot be watched, for logs and readiness
     * @param servedByCrd true when a CRD provides the kind, so discovery must be asked whether it is served
     * @param source      which objects of the kind to watch (all, or those with a label)
     */
    WatchedResource(KubernetesClient client, Class<T> type, String feature, boolean servedByCrd,
                    Function<KubernetesClient, Informable<T>> source) {
        super(type, feature, servedByCrd);
        this.client = client;
        this.source = source;
    }

    @Override
    synchronized void ensureStarted(Function<String, APIResourceList> discovery) {
        if (informer != null || !checkServed(discovery)) {
            return;
        }
        SharedIndexInformer<T> created = source.apply(client).runnableInformer(0);
        // Before the first sync, "forbidden" and "not found" are answers, not outages: stop and report them.
        // Anything else, before or after the first sync, is retried by the informer with back-off.
        created.exceptionHandler((started, error) -> started || !isRefusal(error));
        handlers.forEach(created::addEventHandler);
        if (!indexers.isEmpty()) {
            created.addIndexers(Map.copyOf(indexers));
        }
        informer = created;
        enter(ResourceState.STARTING, "listing " + apiName());
        created.start().whenComplete((ignored, error) -> {
            if (error == null) {
                enter(ResourceState.SYNCED, "watching " + apiName());
            } else {
                onStartFailure(created, error);
            }
        });
    }

    private synchronized void onStartFailure(SharedIndexInformer<T> failed, Throwable error) {
        failed.stop();
        if (informer == failed) {
            informer = null;
        }
        KubernetesClientException cause = clientException(error);
        if (cause != null && isRefusal(cause)) {
            enterRefused(cause);
        } else if (!failed.isRunning() && state() != ResourceState.STOPPED) {
            enter(ResourceState.NOT_CHECKED, "watching " + apiName() + " failed (" + ErrorMessages.firstLine(error) + "); retrying");
        }
    }

    @Override
    synchronized void stop() {
        if (informer != null) {
            informer.stop();
            informer = null;
        }
        enterStopped();
    }

    @Override
    List<T> byIndex(String index, String value) {
        SharedIndexInformer<T> current = informer;
        return current == null ? List.of() : List.copyOf(current.getIndexer().byIndex(index, value));
    }

    /** Adds a handler to the current informer and to every later one. */
    @Override
    void addEventHandler(ResourceEventHandler<T> handler) {
        handlers.add(handler);
        SharedIndexInformer<T> current = informer;
        if (current != null) {
            current.addEventHandler(handler);
        }
    }

    @Override
    void removeEventHandler(ResourceEventHandler<T> handler) {
        handlers.remove(handler);
        SharedIndexInformer<T> current = informer;
        if (current != null) {
            current.removeEventHandler(handler);
        }
    }

    @Override
    Optional<T> find(String key) {
        SharedIndexInformer<T> current = informer;
        return current == null ? Optional.empty() : Optional.ofNullable(current.getStore().getByKey(key));
    }

    @Override
    List<T> list() {
        SharedIndexInformer<T> current = informer;
        return current == null ? List.of() : List.copyOf(current.getStore().list());
    }
}
