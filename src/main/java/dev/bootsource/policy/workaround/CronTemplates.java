package dev.bootsource.policy.workaround;

import dev.bootsource.cluster.KubernetesObjects;
import dev.bootsource.model.DataImportCron;
import dev.bootsource.model.DataVolume;
import dev.bootsource.model.HyperConverged;
import dev.bootsource.model.Keys;
import dev.bootsource.model.StorageSpec;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Step 5 of the manual GCP workaround: DataImportCrons as HyperConverged templates pointed at the images-only class.
 * A template keeps the cron's spec and own metadata, not what controllers wrote on the running cron.
 */
final class CronTemplates {

    /** Annotations controllers write on a running DataImportCron; they do not belong in a template. */
    private static final List<String> RUNTIME_ANNOTATION_PREFIXES = List.of(
            "cdi.kubevirt.io/storage.import.", "kubectl.kubernetes.io/", "operator-sdk/", "bootsource.dev/");
    /** Labels operators put on the DataImportCrons they own. */
    private static final List<String> RUNTIME_LABEL_PREFIXES = List.of("app.kubernetes.io/");

    private CronTemplates() {
    }

    /** A copy of the cron whose template imports onto {@code storageClass}: the cron as it will be once Step 5 is applied. */
    static DataImportCron retargeted(DataImportCron cron, String storageClass) {
        DataImportCron copy = KubernetesObjects.MAPPER.convertValue(cron, DataImportCron.class);
        retarget(copy.getSpec() == null ? setSpec(copy) : copy.getSpec(), storageClass, false);
        return copy;
    }

    private static DataImportCron.Spec setSpec(DataImportCron cron) {
        cron.setSpec(new DataImportCron.Spec());
        return cron.getSpec();
    }

    /** Points a cron spec's template at the class: {@code storage} (else {@code pvc}) gets it, and the access mode. */
    private static void retarget(DataImportCron.Spec spec, String storageClass, boolean readWriteOnce) {
        if (spec.getTemplate() == null) {
            spec.setTemplate(new DataImportCron.Template());
        }
        if (spec.getTemplate().getSpec() == null) {
            spec.getTemplate().setSpec(new DataVolume.Spec());
        }
        DataVolume.Spec template = spec.getTemplate().getSpec();
        if (template.getStorage() == null && template.getPvc() == null) {
            template.setStorage(new StorageSpec());
        }
        StorageSpec storage = template.getStorage() != null ? template.getStorage() : template.getPvc();
        storage.setStorageClassName(storageClass);
        if (readWriteOnce) {
            storage.setAccessModes(List.of(Keys.READ_WRITE_ONCE));
        }
    }

    /** HyperConverged with only {@code spec.dataImportCronTemplates}: the crons, pointed at the images-only class. */
    static HyperConverged hyperConverged(
            List<DataImportCron> retarget, String copyName, boolean readWriteOnce, WorkaroundOptions options) {
        HyperConverged hyperConverged = new HyperConverged();
        hyperConverged.setMetadata(new ObjectMetaBuilder()
                .withName(options.hyperConvergedName())
                .withNamespace(options.hyperConvergedNamespace())
                .build());
        HyperConverged.Spec spec = new HyperConverged.Spec();
        spec.setDataImportCronTemplates(retarget.stream().map(cron -> template(cron, copyName, readWriteOnce)).toList());
        hyperConverged.setSpec(spec);
        return hyperConverged;
    }

    /** The cron as a template: its own metadata and spec, imported onto the copy. */
    private static HyperConverged.DataImportCronTemplate template(DataImportCron cron, String copyName, boolean readWriteOnce) {
        ObjectMetaBuilder metadata = new ObjectMetaBuilder().withName(cron.getMetadata().getName());
        Map<String, String> annotations = kept(cron.getMetadata().getAnnotations(), RUNTIME_ANNOTATION_PREFIXES);
        if (!annotations.isEmpty()) {
            metadata.withAnnotations(annotations);
        }
        Map<String, String> labels = kept(cron.getMetadata().getLabels(), RUNTIME_LABEL_PREFIXES);
        if (!labels.isEmpty()) {
            metadata.withLabels(labels);
        }
        DataImportCron.Spec spec = cron.getSpec() == null ? new DataImportCron.Spec()
                : KubernetesObjects.MAPPER.convertValue(cron.getSpec(), DataImportCron.Spec.class);
        retarget(spec, copyName, readWriteOnce);
        ObjectMeta meta = metadata.build();
        return new HyperConverged.DataImportCronTemplate(meta, spec);
    }

    private static Map<String, String> kept(Map<String, String> values, List<String> droppedPrefixes) {
        Map<String, String> kept = new TreeMap<>();
        if (values != null) {
            values.forEach((key, value) -> {
                if (droppedPrefixes.stream().noneMatch(key::startsWith)) {
                    kept.put(key, value);
                }
            });
        }
        return kept;
    }
}
