package dev.bootsource.operator;

import dev.bootsource.errors.ErrorMessages;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
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
 * One kind of object BootSource keeps a cache of, and whether the cluster lets it do so, whoever lists it.
 *
 * <p>A kind the cluster does not serve (its CRD is missing) or that RBAC forbids degrades only the
 * feature that needs it: lookups answer empty, one log line names the feature, and
 * {@link #ensureStarted} (called periodically) tries again.
 */
abstract sealed class CachedResource<T extends HasMetadata> permits WatchedResource, ControllerCachedResource {

    private static final Logger log = LoggerFactory.getLogger(CachedResource.class);

    final Class<T> type;
    final String feature;
    private final boolean servedByCrd;
    final List<ResourceEventHandler<T>> handlers = new CopyOnWriteArrayList<>();
    final Map<String, Function<T, List<String>>> indexers = new ConcurrentHashMap<>();
    private final List<Consumer<ResourceState>> stateListeners = new CopyOnWriteArrayList<>();

    private volatile ResourceState state = ResourceState.NOT_CHECKED;
    private volatile String detail = "not checked yet";

    /**
     * @param feature     what stops working while this kind cannot be cached, for logs and readiness
     * @param servedByCrd true when a CRD provides the kind, so discovery must be asked whether it is served
     */
    CachedResource(Class<T> type, String feature, boolean servedByCrd) {
        this.type = type;
        this.feature = feature;
        this.servedByCrd = servedByCrd;
    }

    /**
     * Starts caching when the kind can be cached and is not yet; safe to call repeatedly.
     *
     * @param discovery the API server's resources of an API version (e.g. {@code cdi.kubevirt.io/v1beta1});
     *                  one round of checks shares its answers, so kinds of one group cost one request
     */
    abstract void ensureStarted(Function<String, APIResourceList> discovery);

    abstract void stop();

    /** @param key the object's name, or {@code namespace/name} for a namespaced kind */
    abstract Optional<T> find(String key);

    abstract List<T> list();

    /** Cached objects whose {@code index} key is {@code value}. */
    abstract List<T> byIndex(String index, String value);

    /** Adds a handler that hears of every object added, changed or deleted from now on. */
    abstract void addEventHandler(ResourceEventHandler<T> handler);

    abstract void removeEventHandler(ResourceEventHandler<T> handler);

    /**
     * Keeps the cache indexed by {@code key} (objects for which it is null are left out of the index).
     * Call before {@link #ensureStarted}.
     */
    final CachedResource<T> indexedBy(String index, Function<T, String> key) {
        return indexedByEach(index, object -> {
            String value = key.apply(object);
            return value == null ? List.of() : List.of(value);
        });
    }

    /** Keeps the cache indexed under each of the {@code keys} of an object. Call before {@link #ensureStarted}. */
    final CachedResource<T> indexedByEach(String index, Function<T, List<String>> keys) {
        indexers.put(index, keys);
        return this;
    }

    /** Tells {@code listener} each state this kind enters, e.g. STARTING, then SYNCED once its cache is filled (return quickly). */
    final void whenStateChanges(Consumer<ResourceState> listener) {
        stateListeners.add(listener);
    }

    final boolean isSynced() {
        return state == ResourceState.SYNCED;
    }

    /** True while the cache is being filled or is filled: the cluster serves the kind and lets BootSource list it. */
    final boolean isStarted() {
        return state == ResourceState.STARTING || state == ResourceState.SYNCED;
    }

    final ResourceState state() {
        return state;
    }

    final ResourceStatus status() {
        return new ResourceStatus(apiName(), feature, state, detail);
    }

    final String apiName() {
        return HasMetadata.getFullResourceName(type) + "/" + HasMetadata.getVersion(type);
    }

    /**
     * Asks discovery whether the cluster serves the kind, and says so when it does not or cannot be asked.
     *
     * @return true when the kind is served (or needs no CRD)
     */
    final boolean checkServed(Function<String, APIResourceList> discovery) {
        if (!servedByCrd) {
            return true;
        }
        try {
            APIResourceList served = discovery.apply(HasMetadata.getApiVersion(type));
            if (served != null && served.getResources() != null && served.getResources().stream()
                    .anyMatch(resource -> HasMetadata.getPlural(type).equals(resource.getName()))) {
                return true;
            }
            enter(ResourceState.NOT_SERVED, "the cluster does not serve " + apiName()
                    + " (its CRD is not installed); " + feature + " waits for it");
        } catch (KubernetesClientException e) {
            enter(ResourceState.NOT_CHECKED, "cannot ask the API server whether it serves " + apiName() + ": "
                    + ErrorMessages.firstLine(e));
        }
        return false;
    }

    /** Records a refusal to list or watch: RBAC (403) or a kind no longer served (404). */
    final void enterRefused(KubernetesClientException cause) {
        if (cause.getCode() == 403) {
            enter(ResourceState.FORBIDDEN, "RBAC forbids listing or watching " + apiName() + "; " + feature
                    + " is off until it is allowed");
        } else {
            enter(ResourceState.NOT_SERVED, "the cluster does not serve " + apiName() + "; " + feature + " waits for it");
        }
    }

    final synchronized void enter(ResourceState next, String why) {
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

    final synchronized void enterStopped() {
        state = ResourceState.STOPPED;
        detail = "stopped";
    }

    /** True for an answer that is a refusal rather than an outage: forbidden (403) or not found (404). */
    static boolean isRefusal(Throwable error) {
        KubernetesClientException cause = clientException(error);
        return cause != null && (cause.getCode() == 403 || cause.getCode() == 404);
    }

    static KubernetesClientException clientException(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof KubernetesClientException e && e.getCode() > 0) {
                return e;
            }
        }
        return null;
    }
}
