package dev.bootsource.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bootsource.TestResources;
import dev.bootsource.cluster.ClusterSnapshot;
import dev.bootsource.cluster.KubernetesObjects;
import dev.bootsource.model.Cdi;
import dev.bootsource.model.DataImportCron;
import dev.bootsource.model.Opaque;
import dev.bootsource.model.RecreationRecord;
import dev.bootsource.model.DataVolume;
import dev.bootsource.model.Keys;
import dev.bootsource.model.StorageProfile;
import dev.bootsource.model.StorageSpec;
import dev.bootsource.model.VolumeSnapshot;
import dev.bootsource.model.VolumeSnapshotClass;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A cluster state for policy tests, built in a few words or read from a YAML fixture in
 * {@code kubectl get -o yaml} shape, and able to take a profile decision back in as the operator would
 * apply it (annotations written, snapshot class created).
 */
final class ClusterFixture {

    static final String PD = "pd.csi.storage.gke.io";
    static final String HYPERDISK_KEY = "pd.csi.storage.gke.io/hyperdisk";
    static final String DELETION_TIMESTAMP = "2026-11-01T00:00:00Z";

    private final List<StorageClass> storageClasses = new ArrayList<>();
    private final List<VolumeSnapshotClass> snapshotClasses = new ArrayList<>();
    private final List<StorageProfile> profiles = new ArrayList<>();
    private final List<PersistentVolumeClaim> claims = new ArrayList<>();
    private final List<DataImportCron> crons = new ArrayList<>();
    private final List<VolumeSnapshot> snapshots = new ArrayList<>();
    private final List<Cdi> cdis = new ArrayList<>();

    private ClusterFixture() {
    }

    static ClusterFixture cluster() {
        return new ClusterFixture();
    }

    /** The objects of a YAML fixture on the test classpath, e.g. {@code policy/shared-snapshot-class.yaml}. */
    static ClusterFixture fromYaml(String resource) {
        ClusterFixture fixture = new ClusterFixture();
        for (JsonNode object : KubernetesObjects.split(TestResources.text(resource), resource)) {
            fixture.add(object);
        }
        return fixture;
    }

    // --- StorageClasses ------------------------------------------------------------------------------

    /** A StorageClass; {@code parameters} are key/value pairs. */
    ClusterFixture storageClass(String name, String provisioner, String... parameters) {
        storageClasses.add(new StorageClassBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withProvisioner(provisioner)
                .withParameters(pairs(parameters))
                .build());
        return this;
    }

    /** A GCP Hyperdisk class ({@code type: hyperdisk-balanced}): key {@value #HYPERDISK_KEY}, MIN 4Gi, RWO. */
    ClusterFixture hyperdiskClass(String name) {
        return storageClass(name, PD, "type", "hyperdisk-balanced");
    }

    /** A StorageClass with a creation time and default annotations, for default-class choices. */
    ClusterFixture storageClass(String name, String createdAt, boolean defaultClass, boolean defaultVirtClass) {
        Map<String, String> annotations = new LinkedHashMap<>();
        if (defaultClass) {
            annotations.put(Keys.DEFAULT_STORAGE_CLASS, "true");
        }
        if (defaultVirtClass) {
            annotations.put(Keys.DEFAULT_VIRT_STORAGE_CLASS, "true");
        }
        storageClasses.add(new StorageClassBuilder()
                .withNewMetadata().withName(name).withCreationTimestamp(createdAt).withAnnotations(annotations).endMetadata()
                .withProvisioner(PD)
                .withParameters(Map.of("type", "hyperdisk-balanced"))
                .build());
        return this;
    }

    /** Adds or replaces an annotation on a StorageClass already in the fixture. */
    ClusterFixture annotateStorageClass(String name, String key, String value) {
        StorageClass storageClass = storageClasses.stream()
                .filter(sc -> sc.getMetadata().getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no StorageClass " + name + " in the fixture"));
        Map<String, String> annotations = new LinkedHashMap<>(Optional.ofNullable(storageClass.getMetadata().getAnnotations())
                .orElse(Map.of()));
        annotations.put(key, value);
        storageClass.getMetadata().setAnnotations(annotations);
        return this;
    }

    // --- StorageProfiles -----------------------------------------------------------------------------

    ClusterFixture profile(String name) {
        return profile(name, Annotations.none());
    }

    ClusterFixture profile(String name, Annotations annotations) {
        return profile(name, annotations.asMap());
    }

    ClusterFixture profile(String name, Map<String, String> annotations) {
        profiles.removeIf(p -> p.getMetadata().getName().equals(name));
        StorageProfile profile = new StorageProfile();
        profile.setMetadata(new ObjectMetaBuilder().withName(name).withAnnotations(new LinkedHashMap<>(annotations)).build());
        profiles.add(profile);
        return this;
    }

    // --- VolumeSnapshotClasses -----------------------------------------------------------------------

    /** A VolumeSnapshotClass; {@code parameters} are key/value pairs. */
    ClusterFixture snapshotClass(String name, String driver, String... parameters) {
        return snapshotClass(name, driver, false, false, parameters);
    }

    /** A GCP class with {@code snapshot-type: images}: a boot-source class for every GCP StorageClass. */
    ClusterFixture imagesSnapshotClass(String name) {
        return snapshotClass(name, PD, "snapshot-type", "images");
    }

    ClusterFixture defaultImagesSnapshotClass(String name) {
        return snapshotClass(name, PD, true, false, "snapshot-type", "images");
    }

    ClusterFixture deletingImagesSnapshotClass(String name) {
        return snapshotClass(name, PD, false, true, "snapshot-type", "images");
    }

    ClusterFixture snapshotClass(String name, String driver, boolean isDefault, boolean beingDeleted, String... parameters) {
        VolumeSnapshotClass vsc = new VolumeSnapshotClass();
        ObjectMetaBuilder metadata = new ObjectMetaBuilder().withName(name);
        if (isDefault) {
            metadata.addToAnnotations(Keys.DEFAULT_SNAPSHOT_CLASS, "true");
        }
        if (beingDeleted) {
            metadata.withDeletionTimestamp(DELETION_TIMESTAMP);
        }
        vsc.setMetadata(metadata.build());
        vsc.setDriver(driver);
        vsc.setDeletionPolicy("Delete");
        if (parameters.length > 0) {
            vsc.setParameters(pairs(parameters));
        }
        snapshotClasses.add(vsc);
        return this;
    }

    // --- DataImportCrons and their snapshots ---------------------------------------------------------

    /** A DataImportCron; {@code storageClassName} may be null (the template names none). */
    ClusterFixture cron(String namespace, String name, String storageClassName, boolean upToDate) {
        DataImportCron cron = new DataImportCron();
        cron.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
        StorageSpec storage = new StorageSpec();
        storage.setStorageClassName(storageClassName);
        DataVolume.Spec templateSpec = new DataVolume.Spec();
        templateSpec.setStorage(storage);
        DataImportCron.Template template = new DataImportCron.Template();
        template.setSpec(templateSpec);
        DataImportCron.Spec spec = new DataImportCron.Spec();
        spec.setTemplate(template);
        cron.setSpec(spec);
        DataImportCron.Condition condition = new DataImportCron.Condition();
        condition.setType("UpToDate");
        condition.setStatus(upToDate ? "True" : "False");
        DataImportCron.Status status = new DataImportCron.Status();
        status.setConditions(List.of(condition));
        cron.setStatus(status);
        crons.add(cron);
        return this;
    }

    /** A DataImportCron CDI reports UpToDate; {@code storageClassName} may be null. */
    ClusterFixture cron(String namespace, String name, String storageClassName) {
        return cron(namespace, name, storageClassName, true);
    }

    ClusterFixture cronNotUpToDate(String namespace, String name, String storageClassName) {
        return cron(namespace, name, storageClassName, false);
    }

    /** A DataImportCron CDI has not reported on yet: no conditions at all. */
    ClusterFixture cronWithoutStatus(String namespace, String name, String storageClassName) {
        cron(namespace, name, storageClassName, false);
        crons.get(crons.size() - 1).setStatus(null);
        return this;
    }

    /** A ready golden snapshot of a cron, taken with {@code snapshotClass} (null: the default class). */
    ClusterFixture goldenSnapshot(String namespace, String name, String cron, String snapshotClass) {
        return snapshot(namespace, name, cron, snapshotClass, true, false);
    }

    /** A golden snapshot CDI is still taking. */
    ClusterFixture goldenSnapshotNotReady(String namespace, String name, String cron, String snapshotClass) {
        return snapshot(namespace, name, cron, snapshotClass, false, false);
    }

    /** A golden snapshot whose deletion is in flight. */
    ClusterFixture goldenSnapshotBeingDeleted(String namespace, String name, String cron, String snapshotClass) {
        return snapshot(namespace, name, cron, snapshotClass, false, true);
    }

    /** A snapshot without the DataImportCron label: a user's, never BootSource's business. */
    ClusterFixture unlabelledSnapshot(String namespace, String name, String snapshotClass) {
        return snapshot(namespace, name, null, snapshotClass, true, false);
    }

    /**
     * A VolumeSnapshot; {@code cronLabel} is the value of the DataImportCron label, or null for an
     * unlabelled snapshot; {@code snapshotClass} may be null (taken with the default class).
     */
    ClusterFixture snapshot(String namespace, String name, String cronLabel, String snapshotClass,
                            boolean readyToUse, boolean beingDeleted) {
        VolumeSnapshot snapshot = new VolumeSnapshot();
        ObjectMetaBuilder metadata = new ObjectMetaBuilder().withNamespace(namespace).withName(name)
                .withUid(uid(namespace, name));
        if (cronLabel != null) {
            metadata.addToLabels(Keys.DATA_IMPORT_CRON_LABEL, cronLabel);
        }
        if (beingDeleted) {
            metadata.withDeletionTimestamp(DELETION_TIMESTAMP);
        }
        snapshot.setMetadata(metadata.build());
        VolumeSnapshot.Source source = new VolumeSnapshot.Source();
        source.setPersistentVolumeClaimName(name);
        VolumeSnapshot.Spec spec = new VolumeSnapshot.Spec();
        spec.setSource(source);
        spec.setVolumeSnapshotClassName(snapshotClass);
        snapshot.setSpec(spec);
        VolumeSnapshot.Status status = new VolumeSnapshot.Status();
        status.setReadyToUse(readyToUse);
        snapshot.setStatus(status);
        snapshots.add(snapshot);
        return this;
    }

    // --- Building and applying -----------------------------------------------------------------------

    ClusterSnapshot build() {
        return ClusterSnapshot.builder().storageClasses(storageClasses).volumeSnapshotClasses(snapshotClasses)
                .storageProfiles(profiles).persistentVolumeClaims(claims).dataImportCrons(crons)
                .volumeSnapshots(snapshots).cdis(cdis).build();
    }

    // --- CDI itself ----------------------------------------------------------------------------------

    /** The CDI resource, reporting {@code observedVersion} (null: no version reported yet). */
    ClusterFixture cdi(String observedVersion) {
        Cdi cdi = new Cdi();
        cdi.setMetadata(new ObjectMetaBuilder().withName("cdi").build());
        Cdi.Status status = new Cdi.Status();
        status.setObservedVersion(observedVersion);
        cdi.setStatus(status);
        cdis.add(cdi);
        return this;
    }

    /** Sets the profile's status.snapshotClass, as CDI reports it. */
    ClusterFixture profileStatusSnapshotClass(String name, String snapshotClass) {
        StorageProfile profile = storageProfile(name).orElseThrow();
        Opaque status = new Opaque();
        status.setAdditionalProperty("snapshotClass", snapshotClass);
        profile.setStatus(status);
        return this;
    }

    // --- Variations of a DataImportCron ------------------------------------------------------------------

    /** The last cron added imports into {@code spec.pvc} instead of {@code spec.storage}. */
    ClusterFixture withPvcTemplate() {
        DataVolume.Spec template = crons.get(crons.size() - 1).getSpec().getTemplate().getSpec();
        template.setPvc(template.getStorage());
        template.setStorage(null);
        return this;
    }

    /** The last cron added asks for these access modes. */
    ClusterFixture withAccessModes(String... modes) {
        crons.get(crons.size() - 1).getSpec().getTemplate().getSpec().getStorage().setAccessModes(List.of(modes));
        return this;
    }

    /** The last cron added is importing: condition Progressing True. */
    ClusterFixture progressing() {
        DataImportCron.Condition condition = new DataImportCron.Condition();
        condition.setType("Progressing");
        condition.setStatus("True");
        DataImportCron cron = crons.get(crons.size() - 1);
        List<DataImportCron.Condition> conditions = new ArrayList<>(cron.getStatus().getConditions());
        conditions.add(condition);
        cron.getStatus().setConditions(conditions);
        return this;
    }

    /** The last cron added carries BootSource's record of having recreated {@code snapshot} (by its fixture uid). */
    ClusterFixture recreated(String snapshot, String fromClass, String toClass) {
        DataImportCron cron = crons.get(crons.size() - 1);
        return annotateLastCron(Keys.RECREATION_RECORD, new RecreationRecord(snapshot,
                uid(cron.getMetadata().getNamespace(), snapshot), fromClass, toClass, "2026-11-30T10:00:00Z").toJson());
    }

    ClusterFixture annotateLastCron(String key, String value) {
        DataImportCron cron = crons.get(crons.size() - 1);
        Map<String, String> annotations = new LinkedHashMap<>(
                cron.getMetadata().getAnnotations() == null ? Map.of() : cron.getMetadata().getAnnotations());
        annotations.put(key, value);
        cron.getMetadata().setAnnotations(annotations);
        return this;
    }

    /** The uid a fixture snapshot gets: stable, so records can name it. */
    static String uid(String namespace, String name) {
        return "uid-" + namespace + "-" + name;
    }

    /**
     * The cluster after the operator applied a decision: the profile carries the decided annotations
     * (created if CDI had not yet), and the snapshot class the decision creates exists.
     */
    ClusterFixture applying(ProfileDecision decision) {
        ClusterFixture next = copy();
        next.profile(decision.storageClassName(), decision.annotationsAfter());
        decision.snapshotClassToCreate().ifPresent(create -> next.snapshotClasses.add(create.toVolumeSnapshotClass()));
        return next;
    }

    /** The cluster after the operator applied a whole plan. */
    ClusterFixture applying(ClusterPlan plan) {
        ClusterFixture next = copy();
        plan.storageProfiles().forEach(p -> next.profile(p.storageClassName(), p.annotationsAfter()));
        plan.snapshotClassesToCreate().forEach(create -> next.snapshotClasses.add(create.toVolumeSnapshotClass()));
        return next;
    }

    ClusterFixture copy() {
        ClusterFixture copy = new ClusterFixture();
        copy.storageClasses.addAll(storageClasses);
        copy.snapshotClasses.addAll(snapshotClasses);
        copy.profiles.addAll(profiles);
        copy.claims.addAll(claims);
        copy.crons.addAll(crons);
        copy.snapshots.addAll(snapshots);
        copy.cdis.addAll(cdis);
        return copy;
    }

    Optional<StorageProfile> storageProfile(String name) {
        return profiles.stream().filter(p -> p.getMetadata().getName().equals(name)).findFirst();
    }

    private void add(JsonNode object) {
        String kind = object.path("kind").asText();
        try {
            switch (kind) {
                case "StorageClass" -> storageClasses.add(bind(object, StorageClass.class));
                case "VolumeSnapshotClass" -> snapshotClasses.add(bind(object, VolumeSnapshotClass.class));
                case "StorageProfile" -> profiles.add(bind(object, StorageProfile.class));
                case "PersistentVolumeClaim" -> claims.add(bind(object, PersistentVolumeClaim.class));
                case "DataImportCron" -> crons.add(bind(object, DataImportCron.class));
                case "VolumeSnapshot" -> snapshots.add(bind(object, VolumeSnapshot.class));
                default -> throw new IllegalArgumentException("fixture holds an unexpected kind " + kind);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T extends HasMetadata> T bind(JsonNode object, Class<T> type) throws IOException {
        T bound = KubernetesObjects.MAPPER.treeToValue(object, type);
        ObjectMeta metadata = bound.getMetadata();
        if (bound instanceof io.fabric8.kubernetes.api.model.Namespaced && metadata.getNamespace() == null) {
            metadata.setNamespace("default");
        }
        return bound;
    }

    private static Map<String, String> pairs(String... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("key/value pairs expected");
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    /**
     * A profile's annotations, each marked as set by a user or by BootSource. BootSource's values are
     * also written to its record, exactly as the operator leaves them.
     */
    static final class Annotations {

        private final Map<String, String> values = new LinkedHashMap<>();
        private final Map<String, String> bootSourceSet = new LinkedHashMap<>();
        private String record;

        static Annotations none() {
            return new Annotations();
        }

        static Annotations userSet(String key, String value) {
            return new Annotations().user(key, value);
        }

        static Annotations bootSourceSet(String key, String value) {
            return new Annotations().bootSource(key, value);
        }

        Annotations user(String key, String value) {
            values.put(key, value);
            return this;
        }

        Annotations bootSource(String key, String value) {
            values.put(key, value);
            bootSourceSet.put(key, value);
            return this;
        }

        /** A value BootSource recorded as written but which is no longer on the profile. */
        Annotations recordedOnly(String key, String value) {
            bootSourceSet.put(key, value);
            return this;
        }

        /** The record annotation verbatim, e.g. something unreadable. */
        Annotations record(String verbatim) {
            record = verbatim;
            return this;
        }

        Map<String, String> asMap() {
            Map<String, String> map = new LinkedHashMap<>(values);
            if (record != null) {
                map.put(Keys.MANAGED_ANNOTATIONS, record);
            } else {
                ManagedAnnotations.format(bootSourceSet).ifPresent(json -> map.put(Keys.MANAGED_ANNOTATIONS, json));
            }
            return map;
        }
    }
}
