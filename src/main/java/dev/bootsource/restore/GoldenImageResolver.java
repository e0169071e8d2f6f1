package dev.bootsource.restore;

import dev.bootsource.errors.InvalidInputException;
import dev.bootsource.model.DataSource;
import dev.bootsource.model.VolumeSnapshot;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the golden image {@code --image} names in the cluster: a CDI DataSource, followed through
 * {@code spec.source.snapshot}, {@code spec.source.pvc} or (up to five) {@code spec.source.dataSource}; or,
 * when there is no such DataSource, a VolumeSnapshot. Reads only.
 */
public final class GoldenImageResolver {

    private static final int MAX_DATA_SOURCE_HOPS = 5;
    private static final String BOUND = "Bound";

    private final KubernetesClient client;

    public GoldenImageResolver(KubernetesClient client) {
        this.client = client;
    }

    /** @throws IllegalArgumentException when there is no such image, or a DataSource points at nothing usable */
    public GoldenImage resolve(ImageRef ref) {
        List<String> via = new ArrayList<>();
        String ns = ref.namespace();
        String name = ref.name();
        for (int hop = 0; hop < MAX_DATA_SOURCE_HOPS; hop++) {
            DataSource dataSource = client.resources(DataSource.class).inNamespace(ns).withName(name).get();
            if (dataSource == null) {
                break;
            }
            via.add("DataSource " + ns + "/" + name);
            String owner = ns;
            if (dataSource.snapshot().isPresent()) {
                DataSource.Reference target = dataSource.snapshot().get();
                return snapshot(namespaceOr(target, owner), target.getName(), via);
            }
            if (dataSource.pvc().isPresent()) {
                DataSource.Reference target = dataSource.pvc().get();
                return claim(namespaceOr(target, owner), target.getName(), via);
            }
            if (dataSource.dataSource().isEmpty()) {
                throw new InvalidInputException("DataSource " + ns + "/" + name + " points at no snapshot or PVC "
                        + "(spec.source is empty: has its DataImportCron imported yet?)");
            }
            DataSource.Reference next = dataSource.dataSource().get();
            ns = namespaceOr(next, owner);
            name = next.getName();
        }
        if (!via.isEmpty()) {
            throw new InvalidInputException(String.join(" -> ", via) + ": too many DataSources in a row");
        }
        if (client.resources(VolumeSnapshot.class).inNamespace(ns).withName(name).get() == null) {
            throw new InvalidInputException("no DataSource or VolumeSnapshot " + ref + " in the cluster");
        }
        return snapshot(ns, name, via);
    }

    private GoldenImage snapshot(String ns, String name, List<String> via) {
        VolumeSnapshot snapshot = client.resources(VolumeSnapshot.class).inNamespace(ns).withName(name).get();
        if (snapshot == null) {
            throw new InvalidInputException(String.join(" -> ", via) + " points at VolumeSnapshot " + ns + "/" + name
                    + ", which does not exist");
        }
        Optional<String> restoreSize = Optional.ofNullable(snapshot.getStatus())
                .map(status -> status.getAdditionalProperties().get("restoreSize"))
                .map(Object::toString)
                .filter(size -> !size.isBlank());
        return new GoldenImage(GoldenImage.Kind.VOLUME_SNAPSHOT, ns, name, restoreSize, snapshot.snapshotClassName(),
                snapshot.isReadyToUse(), via);
    }

    private GoldenImage claim(String ns, String name, List<String> via) {
        PersistentVolumeClaim claim = client.persistentVolumeClaims().inNamespace(ns).withName(name).get();
        if (claim == null) {
            throw new InvalidInputException(String.join(" -> ", via) + " points at PersistentVolumeClaim " + ns + "/"
                    + name + ", which does not exist");
        }
        Optional<String> size = Optional.ofNullable(claim.getSpec())
                .map(spec -> spec.getResources())
                .map(resources -> resources.getRequests())
                .map(requests -> requests.get("storage"))
                .or(() -> Optional.ofNullable(claim.getStatus()).map(status -> status.getCapacity())
                        .map(capacity -> capacity.get("storage")))
                .map(Quantity::toString);
        boolean bound = claim.getStatus() != null && BOUND.equals(claim.getStatus().getPhase());
        return new GoldenImage(GoldenImage.Kind.PERSISTENT_VOLUME_CLAIM, ns, name, size, Optional.empty(), bound, via);
    }

    private static String namespaceOr(DataSource.Reference reference, String fallback) {
        return reference.getNamespace() == null || reference.getNamespace().isBlank() ? fallback : reference.getNamespace();
    }
}
