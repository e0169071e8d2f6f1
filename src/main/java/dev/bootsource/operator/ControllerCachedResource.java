package dev.bootsource.operator;

import dev.bootsource.errors.ErrorMessages;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A kind the controller's own informer lists and watches, kept in a store that BootSource's view reads
 * too: the controller's kind (StorageProfiles) is listed and decoded once, not once for each.
 *
 * <p>The operator SDK fills this store ({@link ItemStore}) once {@link #ensureStarted} has found the kind
 * served and listable (one LIST of at most one object), and its run says when it has listed everything.
 * The store outlives each run: while a new run relists, lookups answer from the last run's objects, and the
 * kind counts as being listed, not cached, so nothing that needs a current cache decides meanwhile.
 */
final class ControllerCachedResource<T extends HasMetadata> extends CachedResource<T> implements ItemStore<T> {

    private static final Logger log = LoggerFactory.getLogger(ControllerCachedResource.class);

    private final KubernetesClient client;
    private final Map<String, T> items = new ConcurrentHashMap<>();
    /** Per index: each key value and the objects (by store key) that have it. */
    private final Map<String, Map<String, Set<String>>> indexes = new ConcurrentHashMap<>();

    /**
     * @param feature     what stops working while this kind cannot be listed, for logs and readiness
     * @param servedByCrd true when a CRD provides the kind, so discovery must be asked whether it is served
     */
    ControllerCachedResource(KubernetesClient client, Class<T> type, String feature, boolean servedByCrd) {
        super(type, feature, servedByCrd);
        this.client = client;
    }

    @Override
    synchronized void ensureStarted(Function<String, APIResourceList> discovery) {
        if (isStarted() || state() == ResourceState.STOPPED || !checkServed(discovery)) {
            return;
        }
        try {
            // A refusal is known now, not after the controller's informer has waited out its start-up timeout.
            client.resources(type).inAnyNamespace().list(new ListOptionsBuilder().withLimit(1L).build());
        } catch (KubernetesClientException e) {
            KubernetesClientException cause = clientException(e);
            if (cause != null && isRefusal(cause)) {
                enterRefused(cause);
            } else {
                enter(ResourceState.NOT_CHECKED, "cannot list " + apiName() + " (" + ErrorMessages.firstLine(e) + "); retrying");
            }
            return;
        }
        enter(ResourceState.STARTING, "the controller lists " + apiName());
    }

    /** The controller's informer has listed the kind and watches it: lookups are current from now on. */
    void listedByController() {
        if (isStarted()) {
            enter(ResourceState.SYNCED, "watching " + apiName() + " (the controller's cache)");
        }
    }

    /** The controller's run stopped: lookups answer from its last objects until the next run has listed the kind again. */
    void controllerStopped() {
        if (isSynced()) {
            enter(ResourceState.STARTING, "the controller restarts and lists " + apiName() + " again");
        }
    }

    @Override
    synchronized void stop() {
        enterStopped();
        items.clear();
        indexes.clear();
    }

    @Override
    Optional<T> find(String key) {
        return Optional.ofNullable(items.get(key));
    }

    @Override
    List<T> list() {
        return List.copyOf(items.values());
    }

    @Override
    List<T> byIndex(String index, String value) {
        if (!indexers.containsKey(index)) {
            throw new IllegalArgumentException("no index " + index + " on " + apiName());
        }
        return indexes.getOrDefault(index, Map.of()).getOrDefault(value, Set.of()).stream().map(items::get).filter(Objects::nonNull).toList();
    }

    @Override
    void addEventHandler(ResourceEventHandler<T> handler) {
        handlers.add(handler);
    }

    @Override
    void removeEventHandler(ResourceEventHandler<T> handler) {
        handlers.remove(handler);
    }

    // The store the controller's informer fills; it calls these one at a time.

    @Override
    public String getKey(T object) {
        return Cache.metaNamespaceKeyFunc(object);
    }

    @Override
    public synchronized T put(String key, T object) {
        T before = items.put(key, object);
        reindex(key, before, object);
        if (before == null) {
            notifyHandlers(handler -> handler.onAdd(object));
        } else if (!Objects.equals(before.getMetadata().getResourceVersion(), object.getMetadata().getResourceVersion())) {
            notifyHandlers(handler -> handler.onUpdate(before, object));
        }
        return before;
    }

    @Override
    public synchronized T remove(String key) {
        T before = items.remove(key);
        if (before != null) {
            reindex(key, before, null);
            notifyHandlers(handler -> handler.onDelete(before, false));
        }
        return before;
    }

    @Override
    public Stream<String> keySet() {
        return items.keySet().stream();
    }

    @Override
    public Stream<T> values() {
        return items.values().stream();
    }

    @Override
    public int size() {
        return items.size();
    }

    @Override
    public T get(String key) {
        return items.get(key);
    }

    private void reindex(String key, T before, T after) {
        indexers.forEach((index, keys) -> {
            Map<String, Set<String>> byValue = indexes.computeIfAbsent(index, name -> new ConcurrentHashMap<>());
            if (before != null) {
                keys.apply(before).forEach(value -> byValue.computeIfPresent(value, (v, objects) -> {
                    objects.remove(key);
                    return objects.isEmpty() ? null : objects;
                }));
            }
            if (after != null) {
                keys.apply(after).forEach(value -> byValue.computeIfAbsent(value, v -> ConcurrentHashMap.newKeySet()).add(key));
            }
        });
    }

    /** A failing handler must not stop the informer from keeping the store current. */
    private void notifyHandlers(Consumer<ResourceEventHandler<T>> event) {
        for (ResourceEventHandler<T> handler : handlers) {
            try {
                event.accept(handler);
            } catch (RuntimeException e) {
                log.atWarn().setCause(e).addKeyValue("resource", apiName()).log("a change handler failed: " + e);
            }
        }
    }
}
