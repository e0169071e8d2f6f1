package dev.bootsource.operator;

import dev.bootsource.model.Keys;
import dev.bootsource.model.StorageProfile;
import org.junit.jupiter.api.Test;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The live view answers "which profiles carry CDI's own boot-source annotations" from an index that
 * follows the profiles as they are created, annotated and cleared, on the mock API server.
 */
class UpstreamAnnotationIndexTest extends OperatorTestSupport {

    @Test
    void theIndexFollowsProfilesAsCdiAnnotatesAndClearsThem() {
        cluster.installCdi();
        cluster.installSnapshotCrds();
        cluster.create("""
                apiVersion: cdi.kubevirt.io/v1beta1
                kind: StorageProfile
                metadata: {name: plain}
                ---
                apiVersion: cdi.kubevirt.io/v1beta1
                kind: StorageProfile
                metadata:
                  name: by-cdi
                  annotations: {cdi.kubevirt.io/useReadWriteOnceForDataImportCron: "true"}
                """);
        // The profiles are cached by the StorageProfile controller's informer, which the view reads.
        InformerClusterView view = startReadyOperator().informerClusterView();

        assertThat(names(view.storageProfilesAnnotatedWith(Keys.UPSTREAM_USE_RWO))).containsExactly("by-cdi");
        assertThat(view.storageProfilesAnnotatedWith(Keys.UPSTREAM_SNAPSHOT_CLASS)).isEmpty();

        cluster.admin().resources(StorageProfile.class).withName("plain").edit(profile -> {
            profile.getMetadata().setAnnotations(new HashMap<>(Map.of(Keys.UPSTREAM_SNAPSHOT_CLASS, "images")));
            return profile;
        });
        cluster.admin().resources(StorageProfile.class).withName("by-cdi").edit(profile -> {
            profile.getMetadata().getAnnotations().remove(Keys.UPSTREAM_USE_RWO);
            return profile;
        });

        await().atMost(CONVERGE).untilAsserted(() -> {
            assertThat(names(view.storageProfilesAnnotatedWith(Keys.UPSTREAM_SNAPSHOT_CLASS))).containsExactly("plain");
            assertThat(view.storageProfilesAnnotatedWith(Keys.UPSTREAM_USE_RWO)).isEmpty();
        });
        // The index answers as a scan of every profile would; a key outside it is answered by that scan.
        assertThat(names(view.storageProfilesAnnotatedWith(Keys.UPSTREAM_SNAPSHOT_CLASS)))
                .isEqualTo(names(view.storageProfiles().stream()
                        .filter(p -> p.hasAnnotation(Keys.UPSTREAM_SNAPSHOT_CLASS)).toList()));
        assertThat(view.storageProfilesAnnotatedWith("example.com/not-indexed")).isEmpty();
    }

    private static List<String> names(Collection<StorageProfile> profiles) {
        return profiles.stream().map(p -> p.getMetadata().getName()).sorted().toList();
    }
}
