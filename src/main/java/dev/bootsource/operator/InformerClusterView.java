package dev.bootsource.operator;

import dev.bootsource.cluster.ClusterView;
import dev.bootsource.model.Cdi;
import dev.bootsource.model.DataImportCron;
import dev.bootsource.model.Keys;
import dev.bootsource.model.StorageProfile;
import dev.bootsource.model.VolumeSnapshot;
import dev.bootsource.model.VolumeSnapshotClass;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * The live cluster state the policy decides on, read from informer caches: the operator reconciles
 * from it and the admission webhook answers from it, on every replica, leader or not. No lookup ever
 * issues a GET.
 *
 * <p>StorageClasses, VolumeSnapshotClasses and StorageProfiles are the policy's inputs. PVCs,
 * VolumeSnapshots (both only those with the DataImportCron label) and DataImportCrons serve the webhook
 * and the golden-snapshot checks. Any kind the cluster does not serve, or RBAC forbids, answers empty
 * while one log line says which feature degrades; it is checked again every {@code recheckPeriod}.
 *
 * <p>StorageProfiles are the StorageProfile controller's own kind: its informer lists and watches them
 * into a store this view reads ({@link #storageProfileStore()}), so they are listed once, not twice. They
 * count as cached once the controller says its informer has listed them.
 *
 * <p>Objects handed out are the cache's own: callers must treat them as read-only.
 */
public final class InformerClusterView implements ClusterView, AutoCloseable {

    private static final String BY_PROVISIONER = "provisioner";
    private static final String BY_DRIVER = "driver";
    private static final String BY_UPSTREAM_ANNOTATION = "upstream-annotation";

    private final CachedResource<StorageClass> storageClasses;
    private final CachedResource<VolumeSnapshotClass> snapshotClasses;
    private final ControllerCachedResource<StorageProfile> storageProfiles;
    private final CachedResource<PersistentVolumeClaim> cronClaims;
    private final CachedResource<DataImportCron> dataImportCrons;
    private final CachedResource<VolumeSnapshot> cronSnapshots;
    private final CachedResource<Cdi> cdis;
    private final List<CachedResource<?>> all;
    private final Duration recheckPeriod;
    private final Map<PolicyInputListener, List<Runnable>> listeners = new ConcurrentHashMap<>();
    private final KubernetesClient client;
    private ScheduledExecutorService scheduler;

    public InformerClusterView(KubernetesClient client, Duration recheckPeriod) {
        this.client = client;
        this.recheckPeriod = recheckPeriod;
        storageClasses = new WatchedResource<>(client, StorageClass.class,
                "StorageProfile reconciliation", false,
                c -> c.storage().v1().storageClasses())
                .indexedBy(BY_PROVISIONER, StorageClass::getProvisioner);
        snapshotClasses = new WatchedResource<>(client, VolumeSnapshotClass.class,
                "StorageProfile reconciliation (boot-source snapshot classes)", true,
                c -> c.resources(VolumeSnapshotClass.class))
                .indexedBy(BY_DRIVER, VolumeSnapshotClass::getDriver);
        storageProfiles = new ControllerCachedResource<>(client, StorageProfile.class,
                "StorageProfile reconciliation (CDI)", true);
        storageProfiles.indexedByEach(BY_UPSTREAM_ANNOTATION, InformerClusterView::upstreamAnnotations);
        cronClaims = new WatchedResource<>(client, PersistentVolumeClaim.class,
                "admission of golden-image VolumeSnapshots (source PVC lookups)", false,
                c -> c.persistentVolumeClaims().inAnyNamespace().withLabel(Keys.DATA_IMPORT_CRON_LABEL));
        dataImportCrons = new WatchedResource<>(client, DataImportCron.class,
                "golden-snapshot checks (DataImportCron lookups)", true,
                c -> c.resources(DataImportCron.class).inAnyNamespace());
        cronSnapshots = new WatchedResource<>(client, VolumeSnapshot.class,
                "golden-snapshot checks (golden VolumeSnapshots)", true,
                c -> c.resources(VolumeSnapshot.class).inAnyNamespace().withLabel(Keys.DATA_IMPORT_CRON_LABEL));
        cdis = new WatchedResource<>(client, Cdi.class,
                "telling which CDI runs (from its CDI resource; else from its StorageProfile annotations)", true,
                c -> c.resources(Cdi.class));
        // Checked in this order: StorageProfiles first, since the controller starts once they can be listed and
        // its list of them is the longest part of the start.
        all = List.of(storageProfiles, storageClasses, snapshotClasses, cronClaims, dataImportCrons, cronSnapshots, cdis);
        List.of(storageClasses, snapshotClasses, storageProfiles).forEach(input -> input.whenStateChanges(state -> {
            if (state == ResourceState.SYNCED) {
                announceIfPolicyInputsSynced();
            }
        }));
    }

    /** Starts every informer the cluster allows, and keeps checking for the ones it does not yet. */
    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "bootsource-api-check");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(this::startWhatCanBeWatched, 0, recheckPeriod.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One round of checks: each API version is asked about once, however many of its kinds are watched. */
    private void startWhatCanBeWatched() {
        Map<String, APIResourceList> discovered = new HashMap<>();
        all.forEach(resource -> resource.ensureStarted(
                apiVersion -> discovered.computeIfAbsent(apiVersion, client::getApiResources)));
    }

    /** Runs {@code changed} whenever a kind starts being listed, is cached, or stops: waiting on them needs no polling. */
    public void onStateChange(Runnable changed) {
        all.forEach(resource -> resource.whenStateChanges(state -> changed.run()));
    }

    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
        all.forEach(CachedResource::stop);
    }

    /**
     * True once the cluster serves StorageProfiles and BootSource may list them: the StorageProfile
     * controller may start, and its informer lists them for this view too.
     */
    boolean storageProfilesListable() {
        return storageProfiles.isStarted();
    }

    /** Where the StorageProfile controller's informer keeps the profiles; this view reads them from there. */
    ItemStore<StorageProfile> storageProfileStore() {
        return storageProfiles;
    }

    /** The controller's informer has listed the StorageProfiles and watches them. */
    void storageProfilesListedByController() {
        storageProfiles.listedByController();
    }

    /** The controller stopped; its next run lists the StorageProfiles again (the last ones answer meanwhile). */
    void storageProfilesControllerStopped() {
        storageProfiles.controllerStopped();
    }

    /** Each time one of the policy inputs has been (re)listed and all three are cached, every listener hears so. */
    private void announceIfPolicyInputsSynced() {
        if (policyInputsSynced()) {
            listeners.keySet().forEach(PolicyInputListener::policyInputsSynced);
        }
    }

    /** True once StorageClasses, VolumeSnapshotClasses and StorageProfiles are all cached: decisions can be trusted. */
    public boolean policyInputsSynced() {
        return storageClasses.isSynced() && snapshotClasses.isSynced() && storageProfiles.isSynced();
    }

    /**
     * True once the golden-snapshot checks can be trusted: the policy inputs, DataImportCrons and CRON
     * VolumeSnapshots are all cached.
     */
    public boolean goldenSnapshotInputsSynced() {
        return policyInputsSynced() && dataImportCrons.isSynced() && cronSnapshots.isSynced();
    }

    /**
     * Runs {@code changed} whenever anything a golden-snapshot decision reads is added, changed or deleted:
     * StorageClasses, VolumeSnapshotClasses, StorageProfiles, DataImportCrons and CRON VolumeSnapshots.
     * Called on informer threads: return quickly.
     *
     * @return removes the hook again
     */
    public Runnable onGoldenSnapshotInputChange(Runnable changed) {
        ResourceEventHandler<StorageClass> onStorageClass = changes((before, after) -> changed.run());
        ResourceEventHandler<VolumeSnapshotClass> onSnapshotClass = changes((before, after) -> changed.run());
        ResourceEventHandler<StorageProfile> onProfile = changes((before, after) -> changed.run());
        ResourceEventHandler<DataImportCron> onCron = changes((before, after) -> changed.run());
        ResourceEventHandler<VolumeSnapshot> onSnapshot = changes((before, after) -> changed.run());
        ResourceEventHandler<Cdi> onCdi = changes((before, after) -> changed.run());
        storageClasses.addEventHandler(onStorageClass);
        snapshotClasses.addEventHandler(onSnapshotClass);
        storageProfiles.addEventHandler(onProfile);
        dataImportCrons.addEventHandler(onCron);
        cronSnapshots.addEventHandler(onSnapshot);
        cdis.addEventHandler(onCdi);
        return () -> {
            storageClasses.removeEventHandler(onStorageClass);
            snapshotClasses.removeEventHandler(onSnapshotClass);
            storageProfiles.removeEventHandler(onProfile);
            dataImportCrons.removeEventHandler(onCron);
            cronSnapshots.removeEventHandler(onSnapshot);
            cdis.removeEventHandler(onCdi);
        };
    }

    /** Every watched kind and how it stands. */
    public List<ResourceStatus> status() {
        return all.stream().map(CachedResource::status).toList();
    }

    /**
     * Tells the listener about every StorageClass and VolumeSnapshotClass that is added, changed or
     * deleted, as (before, after) with null for "none". Relists that change nothing are not reported.
     */
    public void addPolicyInputListener(PolicyInputListener listener) {
        ResourceEventHandler<StorageClass> onStorageClass = changes(listener::storageClassChanged);
        ResourceEventHandler<VolumeSnapshotClass> onSnapshotClass = changes(listener::snapshotClassChanged);
        storageClasses.addEventHandler(onStorageClass);
        snapshotClasses.addEventHandler(onSnapshotClass);
        listeners.put(listener, List.of(
                () -> storageClasses.removeEventHandler(onStorageClass),
                () -> snapshotClasses.removeEventHandler(onSnapshotClass)));
    }

    public void removePolicyInputListener(PolicyInputListener listener) {
        List<Runnable> removals = listeners.remove(listener);
        if (removals != null) {
            removals.forEach(Runnable::run);
        }
    }

    @Override
    public Collection<StorageClass> storageClasses() {
        return storageClasses.list();
    }

    @Override
    public Optional<StorageClass> storageClass(String name) {
        return storageClasses.find(name);
    }

    @Override
    public Collection<VolumeSnapshotClass> volumeSnapshotClasses() {
        return snapshotClasses.list();
    }

    @Override
    public Collection<StorageClass> storageClassesOf(String provisioner) {
        return storageClasses.byIndex(BY_PROVISIONER, provisioner);
    }

    @Override
    public Optional<VolumeSnapshotClass> volumeSnapshotClass(String name) {
        return snapshotClasses.find(name);
    }

    @Override
    public Collection<VolumeSnapshotClass> volumeSnapshotClassesOf(String driver) {
        return snapshotClasses.byIndex(BY_DRIVER, driver);
    }

    @Override
    public Optional<StorageProfile> storageProfile(String name) {
        return storageProfiles.find(name);
    }

    @Override
    public Collection<StorageProfile> storageProfiles() {
        return storageProfiles.list();
    }

    @Override
    public Collection<StorageProfile> storageProfilesAnnotatedWith(String key) {
        return Keys.UPSTREAM_BOOT_SOURCE_KEYS.contains(key)
                ? storageProfiles.byIndex(BY_UPSTREAM_ANNOTATION, key)
                : ClusterView.super.storageProfilesAnnotatedWith(key);
    }

    /** The upstream CDI annotations a profile carries: indexed, since every decision asks whether any profile has one. */
    private static List<String> upstreamAnnotations(StorageProfile profile) {
        return Keys.UPSTREAM_BOOT_SOURCE_KEYS.stream().filter(profile::hasAnnotation).toList();
    }

    @Override
    public Optional<PersistentVolumeClaim> persistentVolumeClaim(String namespace, String name) {
        return cronClaims.find(namespace + "/" + name);
    }

    @Override
    public Collection<PersistentVolumeClaim> persistentVolumeClaims() {
        return cronClaims.list();
    }

    @Override
    public Collection<DataImportCron> dataImportCrons() {
        return dataImportCrons.list();
    }

    @Override
    public Optional<DataImportCron> dataImportCron(String namespace, String name) {
        return dataImportCrons.find(namespace + "/" + name);
    }

    @Override
    public Collection<VolumeSnapshot> dataImportCronSnapshots() {
        return cronSnapshots.list();
    }

    @Override
    public Collection<Cdi> cdis() {
        return cdis.list();
    }

    private static <T extends HasMetadata> ResourceEventHandler<T> changes(BiConsumer<T, T> changed) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T added) {
                changed.accept(null, added);
            }

            @Override
            public void onUpdate(T before, T after) {
                if (!Objects.equals(before.getMetadata().getResourceVersion(), after.getMetadata().getResourceVersion())) {
                    changed.accept(before, after);
                }
            }

            @Override
            public void onDelete(T deleted, boolean finalStateUnknown) {
                changed.accept(deleted, null);
            }
        };
    }

    /** Hears about changes to the policy's cluster-wide inputs. Called on informer threads: return quickly. */
    public interface PolicyInputListener {

        void storageClassChanged(StorageClass before, StorageClass after);

        void snapshotClassChanged(VolumeSnapshotClass before, VolumeSnapshotClass after);

        /** StorageClasses, VolumeSnapshotClasses and StorageProfiles are all cached now (again). */
        void policyInputsSynced();
    }
}
