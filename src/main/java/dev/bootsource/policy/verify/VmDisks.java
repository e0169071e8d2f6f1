package dev.bootsource.policy.verify;

import dev.bootsource.cluster.ClusterSnapshot;
import dev.bootsource.cluster.ClusterView;
import dev.bootsource.model.DataVolume;
import dev.bootsource.model.Keys;
import dev.bootsource.model.StorageSpec;
import dev.bootsource.policy.BootSourceClasses;
import dev.bootsource.policy.DefaultStorageClass;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.TypedLocalObjectReference;
import io.fabric8.kubernetes.api.model.storage.StorageClass;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Step 7.4 of the manual workaround: VM disks made from golden images land on the default (ReadWriteMany)
 * class, not on the class golden images are imported onto. A VM disk from a golden image is a DataVolume
 * whose {@code sourceRef} is a DataSource of a DataImportCron (or whose {@code source} is a golden snapshot
 * or PVC), or a PVC whose {@code dataSource}/{@code dataSourceRef} is a golden snapshot or PVC.
 */
final class VmDisks {

    private VmDisks() {
    }

    static List<Check> checks(ClusterView cluster, Set<String> goldenClasses) {
        if (!(cluster instanceof ClusterSnapshot snapshot)) {
            return List.of();
        }
        Optional<StorageClass> vmDefault = DefaultStorageClass.resolve(cluster);
        List<Check> checks = new ArrayList<>();
        Set<String> covered = new HashSet<>();
        snapshot.dataVolumes().stream()
                .filter(dv -> !isGolden(dv))
                .sorted(Comparator.comparing(VmDisks::key))
                .forEach(dv -> goldenSource(snapshot, dv).ifPresent(source -> {
                    covered.add(key(dv));
                    String storageClass = cluster.persistentVolumeClaim(dv.getMetadata().getNamespace(), dv.getMetadata().getName())
                            .map(pvc -> pvc.getSpec() == null ? null : pvc.getSpec().getStorageClassName())
                            .or(() -> named(dv))
                            .or(() -> vmDefault.map(sc -> sc.getMetadata().getName()))
                            .orElse(null);
                    checks.add(check("DataVolume " + key(dv), source, storageClass, vmDefault, goldenClasses));
                }));
        cluster.persistentVolumeClaims().stream()
                .filter(pvc -> !isGolden(pvc) && !covered.contains(key(pvc)))
                .sorted(Comparator.comparing(VmDisks::key))
                .forEach(pvc -> goldenSource(cluster, pvc).ifPresent(source -> checks.add(check(
                        "PersistentVolumeClaim " + key(pvc), source,
                        pvc.getSpec() == null ? null : pvc.getSpec().getStorageClassName(), vmDefault, goldenClasses))));
        if (checks.isEmpty()) {
            checks.add(Check.warn(CheckArea.VM_DISKS, "VM disks", "storage class", "no DataVolume or PVC restored from a "
                    + "golden image in the input: create a VM from one (or run `bootsource restore-test`) and verify again"));
        }
        return checks;
    }

    private static Check check(String subject, String source, String storageClass, Optional<StorageClass> vmDefault,
                               Set<String> goldenClasses) {
        String check = "storage class";
        String defaultName = vmDefault.map(sc -> sc.getMetadata().getName()).orElse(null);
        if (storageClass == null) {
            return Check.warn(CheckArea.VM_DISKS, subject, check, "from " + source + "; its class is unknown and there is no default class");
        }
        if (storageClass.equals(defaultName)) {
            return Check.pass(CheckArea.VM_DISKS, subject, check, "from " + source + ", on " + storageClass + ", the default class");
        }
        boolean imagesOnly = BootSourceClasses.isImagesOnly(withName(storageClass))
                || (goldenClasses.contains(storageClass) && !storageClass.equals(defaultName));
        if (imagesOnly) {
            return Check.fail(CheckArea.VM_DISKS, subject, check, "from " + source + ", on " + storageClass
                    + ", the class golden images are imported onto: VM disks belong on the default class"
                    + (defaultName == null ? "" : " " + defaultName) + " (ReadWriteMany, for live migration)");
        }
        return Check.warn(CheckArea.VM_DISKS, subject, check, "from " + source + ", on " + storageClass
                + ", which the disk names; the default class is " + (defaultName == null ? "not set" : defaultName));
    }

    /** A StorageClass with only a name, enough for the name-based images-only test. */
    private static StorageClass withName(String name) {
        StorageClass sc = new StorageClass();
        sc.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).build());
        return sc;
    }

    private static Optional<String> goldenSource(ClusterSnapshot cluster, DataVolume dv) {
        Map<String, Object> extra = dv.getSpec() == null ? Map.of() : dv.getSpec().getAdditionalProperties();
        String namespace = dv.getMetadata().getNamespace();
        if (extra.get("sourceRef") instanceof Map<?, ?> ref && "DataSource".equals(ref.get("kind"))) {
            String ns = ref.get("namespace") instanceof String s ? s : namespace;
            String name = String.valueOf(ref.get("name"));
            Optional<GenericKubernetesResource> dataSource = cluster.dataSources().stream()
                    .filter(ds -> ns.equals(ds.getMetadata().getNamespace()) && name.equals(ds.getMetadata().getName()))
                    .findFirst();
            boolean golden = dataSource.map(ds -> isGolden(ds) || dataSourceTarget(cluster, ds)).orElse(false)
                    || cluster.dataImportCrons().stream().anyMatch(cron -> ns.equals(cron.getMetadata().getNamespace())
                    && cron.getSpec() != null && name.equals(cron.getSpec().getAdditionalProperties().get("managedDataSource")));
            return golden ? Optional.of("DataSource " + ns + "/" + name) : Optional.empty();
        }
        if (extra.get("source") instanceof Map<?, ?> source) {
            for (String kind : List.of("snapshot", "pvc")) {
                if (source.get(kind) instanceof Map<?, ?> ref) {
                    String ns = ref.get("namespace") instanceof String s ? s : namespace;
                    String name = String.valueOf(ref.get("name"));
                    if (goldenObject(cluster, kind.equals("snapshot") ? "VolumeSnapshot" : "PersistentVolumeClaim", ns, name)) {
                        return Optional.of((kind.equals("snapshot") ? "VolumeSnapshot " : "PersistentVolumeClaim ") + ns + "/" + name);
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static boolean dataSourceTarget(ClusterView cluster, GenericKubernetesResource ds) {
        Object spec = ds.getAdditionalProperties().get("spec");
        if (spec instanceof Map<?, ?> specMap && specMap.get("source") instanceof Map<?, ?> source) {
            for (String kind : List.of("snapshot", "pvc")) {
                if (source.get(kind) instanceof Map<?, ?> ref) {
                    String ns = ref.get("namespace") instanceof String s ? s : ds.getMetadata().getNamespace();
                    if (goldenObject(cluster, kind.equals("snapshot") ? "VolumeSnapshot" : "PersistentVolumeClaim", ns,
                            String.valueOf(ref.get("name")))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static Optional<String> goldenSource(ClusterView cluster, PersistentVolumeClaim pvc) {
        if (pvc.getSpec() == null) {
            return Optional.empty();
        }
        for (Object ref : new Object[] {pvc.getSpec().getDataSourceRef(), pvc.getSpec().getDataSource()}) {
            String kind = ref instanceof TypedLocalObjectReference t ? t.getKind()
                    : ref instanceof io.fabric8.kubernetes.api.model.TypedObjectReference t ? t.getKind() : null;
            String name = ref instanceof TypedLocalObjectReference t ? t.getName()
                    : ref instanceof io.fabric8.kubernetes.api.model.TypedObjectReference t ? t.getName() : null;
            String ns = ref instanceof io.fabric8.kubernetes.api.model.TypedObjectReference t && t.getNamespace() != null
                    ? t.getNamespace() : pvc.getMetadata().getNamespace();
            if (kind != null && goldenObject(cluster, kind, ns, name)) {
                return Optional.of(kind + " " + ns + "/" + name);
            }
        }
        return Optional.empty();
    }

    private static boolean goldenObject(ClusterView cluster, String kind, String namespace, String name) {
        if ("VolumeSnapshot".equals(kind)) {
            return cluster.dataImportCronSnapshots().stream().anyMatch(s -> namespace.equals(s.getMetadata().getNamespace())
                    && Objects.equals(name, s.getMetadata().getName()));
        }
        if ("PersistentVolumeClaim".equals(kind)) {
            return cluster.persistentVolumeClaim(namespace, name).filter(VmDisks::isGolden).isPresent();
        }
        return false;
    }

    private static Optional<String> named(DataVolume dv) {
        if (dv.getSpec() == null) {
            return Optional.empty();
        }
        StorageSpec storage = dv.getSpec().getStorage() != null ? dv.getSpec().getStorage() : dv.getSpec().getPvc();
        return Optional.ofNullable(storage).map(StorageSpec::getStorageClassName).filter(name -> !name.isBlank());
    }

    private static boolean isGolden(HasMetadata object) {
        Map<String, String> labels = object.getMetadata().getLabels();
        return labels != null && labels.containsKey(Keys.DATA_IMPORT_CRON_LABEL);
    }

    private static String key(HasMetadata object) {
        return object.getMetadata().getNamespace() + "/" + object.getMetadata().getName();
    }
}
