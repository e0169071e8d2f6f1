package dev.bootsource.operator;

import dev.bootsource.errors.ErrorMessages;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One kind of object BootSource keeps an informer cache of, and whether the cluster lets it do so.
 *
 * <p>A kind the cluster does not serve (its CRD is missing) or that RBAC forbids degrades only the
 * feature that needs it: lookups answer empty, one log line names the feature, and {@link #ensureStarted()}
 * (called periodically) tries again. Transient failures such as an unreachable API server are left to the
 * informer, which keeps retrying with back-off.
 */
final class WatchedResource<T extends HasMetadata> {

    private static final Logger log = LoggerFactory.getLogger(WatchedResource.class);

    private final KubernetesClient client;
    private final Class<T> type;
    private final String feature;
    private final boolean servedByCrd;
    private final Function<KubernetesClient, Informable<T>> source;
    private final List<ResourceEventHandler<T>> handlers = new CopyOnWriteArrayList<>();
    private final Map<String, Function<T, List<String>>> indexers = new ConcurrentHashMap<>();
    private final List<Consumer<ResourceState>> stateListeners = new CopyOnWriteArrayList<>();

    private volatile SharedIndexInformer<T> informer;
    private volatile ResourceState state = ResourceState.NOT_CHECKED;
    private volatile String detail = "not checked yet";

    /**
     * @param feature     what stops working while this kind cannot be watched, for logs and readiness
     * @param servedByCrd true when a CRD provides the kind, so discovery must be asked whether it is served
     * @param source      which objects of the kind to watch (all, or those with a label)
     */
    WatchedResource(KubernetesClient client, Class<T> type, String feature, boolean servedByCrd,
                    Function<KubernetesClient, Informable<T>> source) {
        this.client = client;
        this.type = type;
        this.feature = feature;
        this.servedByCrd = servedByCrd;
        this.source = source;
    }

    /**
     * Starts the informer when the kind can be watched and is not watched yet; safe to call repeatedly.
     *
     * @param discovery the API server's resources of an API version (e.g. {@code cdi.kubevirt.io/v1beta1});
     *                  one round of checks shares its answers, so kinds of one group cost one request
     */
    synchronized void ensureStarted(Function<String, APIResourceList> discovery) {
        if (informer != null) {
            return;
        }
        try {
            if (servedByCrd && !isServed(discovery)) {
                enter(ResourceState.NOT_SERVED, "the cluster does not serve " + apiName()
                        + " (its CRD is not installed); " + feature + " waits for it");
                return;
            }
        } catch (KubernetesClientException e) {
            enter(ResourceState.NOT_CHECKED, "cannot ask the API server whether it serves " + apiName() + ": "
                    + ErrorMessages.firstLine(e));
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

    /** Asks API discovery whether the cluster serves the kind (a CRD that is installed). */
    private boolean isServed(Function<String, APIResourceList> discovery) {
        APIResourceList served = discovery.apply(HasMetadata.getApiVersion(type));
        return served != null && served.getResources() != null && served.getResources().stream()
                .anyMatch(resource -> HasMetadata.getPlural(type).equals(resource.getName()));
    }

    private synchronized void onStartFailure(SharedIndexInformer<T> failed, Throwable error) {
        failed.stop();
        if (informer == failed) {
            informer = null;
        }
        KubernetesClientException cause = clientException(error);
        if (cause != null && cause.getCode() == 403) {
            enter(ResourceState.FORBIDDEN, "RBAC forbids listing or watching " + apiName() + "; " + feature
                    + " is off until it is allowed");
        } else if (cause != null && cause.getCode() == 404) {
            enter(ResourceState.NOT_SERVED, "the cluster does not serve " + apiName() + "; " + feature + " waits for it");
        } else if (!failed.isRunning() && state != ResourceState.STOPPED) {
            enter(ResourceState.NOT_CHECKED, "watching " + apiName() + " failed (" + ErrorMessages.firstLine(error) + "); retrying");
        }
    }

    synchronized void stop() {
        if (informer != null) {
            informer.stop();
            informer = null;
        }
        state = ResourceState.STOPPED;
        detail = "stopped";
    }

    /**
     * Keeps the cache indexed by {@code key} (objects for which it is null are left out of the index).
     * Call before {@link #ensureStarted()}.
     */
    WatchedResource<T> indexedBy(String index, Function<T, String> key) {
        return indexedByEach(index, object -> {
            String value = key.apply(object);
            return value == null ? List.of() : List.of(value);
        });
    }

    /** Keeps the cache indexed under each of the {@code keys} of an object. Call before {@link #ensureStarted()}. */
    WatchedResource<T> indexedByEach(String index, Function<T, List<String>> keys) {
        indexers.put(index, keys);
        return this;
    }

    /** Cached objects whose {@code index} key is {@code value}. */
    List<T> byIndex(String index, String value) {
        SharedIndexInformer<T> current = informer;
        return current == null ? List.of() : List.copyOf(current.getIndexer().byIndex(index, value));
    }

    /** Tells {@code listener} each state this kind enters, e.g. STARTING, then SYNCED once its cache is filled (return quickly). */
    void whenStateChanges(Consumer<ResourceState> listener) {
        stateListeners.add(listener);
    }

    /** Adds a handler to the current informer and to every later one. */
    void addEventHandler(ResourceEventHandler<T> handler) {
        handlers.add(handler);
        SharedIndexInformer<T> current = informer;
        if (current != null) {
            current.addEventHandler(handler);
        }
    }

    void removeEventHandler(ResourceEventHandler<T> handler) {
        handlers.remove(handler);
        SharedIndexInformer<T> current = informer;
        if (current != null) {
            current.removeEventHandler(handler);
        }
    }

    /** @param key the object's name, or {@code namespace/name} for a namespaced kind */
    Optional<T> get(String key) {
        SharedIndexInformer<T> current = informer;
        return current == null ? Optional.empty() : Optional.ofNullable(current.getStore().getByKey(key));
    }

    List<T> list() {
        SharedIndexInformer<T> current = informer;
        return current == null ? List.of() : List.copyOf(current.getStore().list());
    }

    boolean isSynced() {
        return state == ResourceState.SYNCED;
    }

    /** True while the informer is listing or has synced: the cluster serves the kind and lets BootSource watch it. */
    boolean isStarted() {
        return state == ResourceState.STARTING || state == ResourceState.SYNCED;
    }

    ResourceStatus status() {
        return new ResourceStatus(apiName(), feature, state, detail);
    }

    String apiName() {
        return HasMetadata.getFullResourceName(type) + "/" + HasMetadata.getVersion(type);
    }

    private synchronized void enter(ResourceState next, String why) {
        if (state == ResourceState.STOPPED) {
            return;
        }
        boolean changed = next != state || !Objects.equals(why, detail);
        state = next;
        detail = why;
        if (!changed) {
            return;
        }
        stateListeners.forEach(listener -> listener.accept(next));
        switch (next) {
            case SYNCED -> log.atInfo().addKeyValue("resource", apiName()).log(why);
            case STARTING -> log.atDebug().addKeyValue("resource", apiName()).log(why);
            default -> log.atWarn().addKeyValue("resource", apiName()).addKeyValue("feature", feature).log(why);
        }
    }

    private static boolean isRefusal(Throwable error) {
        KubernetesClientException cause = clientException(error);
        return cause != null && (cause.getCode() == 403 || cause.getCode() == 404);
    }

    private static KubernetesClientException clientException(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof KubernetesClientException e && e.getCode() > 0) {
                return e;
            }
        }
        return null;
    }
}
