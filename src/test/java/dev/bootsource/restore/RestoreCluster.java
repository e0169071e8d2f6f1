package dev.bootsource.restore;

import dev.bootsource.TestResources;
import dev.bootsource.cluster.KubernetesObjects;
import dev.bootsource.model.DataSource;
import dev.bootsource.model.StorageProfile;
import dev.bootsource.model.VolumeSnapshot;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.logging.Level;
import java.util.logging.Logger;

/** The cluster of {@code restore/cluster.yaml}, put into a mock API server and taken out again. */
public final class RestoreCluster {

    private RestoreCluster() {
    }

    public static void create(KubernetesClient client) {
        String text = TestResources.text("/restore/cluster.yaml");
        for (var node : KubernetesObjects.split(text, "restore/cluster.yaml")) {
            Class<? extends HasMetadata> type = switch (node.path("kind").asText()) {
                case "StorageClass" -> StorageClass.class;
                case "StorageProfile" -> StorageProfile.class;
                case "DataSource" -> DataSource.class;
                case "VolumeSnapshot" -> VolumeSnapshot.class;
                case "Node" -> Node.class;
                default -> throw new IllegalArgumentException(node.path("kind").asText());
            };
            client.resource(KubernetesObjects.MAPPER.convertValue(node, type)).create();
        }
    }

    public static void clear(KubernetesClient client) {
        client.persistentVolumeClaims().inAnyNamespace().delete();
        client.resources(DataSource.class).inAnyNamespace().delete();
        client.resources(VolumeSnapshot.class).inAnyNamespace().delete();
        client.resources(StorageProfile.class).delete();
        client.storage().v1().storageClasses().delete();
        client.nodes().delete();
        client.v1().events().inAnyNamespace().delete();
    }

    /** The mock server logs every request through java.util.logging; keep the returned logger so the level sticks. */
    public static Logger quietMockServer() {
        Logger logger = Logger.getLogger("io.fabric8.mockwebserver");
        logger.setLevel(Level.WARNING);
        return logger;
    }
}
