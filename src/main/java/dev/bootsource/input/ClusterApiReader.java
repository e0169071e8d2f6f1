package dev.bootsource.input;

import dev.bootsource.errors.ErrorMessages;
import dev.bootsource.cluster.ClusterSnapshot;
import dev.bootsource.model.Cdi;
import dev.bootsource.model.DataImportCron;
import dev.bootsource.model.DataVolume;
import dev.bootsource.model.StorageProfile;
import dev.bootsource.model.VolumeSnapshot;
import dev.bootsource.model.VolumeSnapshotClass;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Builds a {@link ClusterSnapshot} from a live cluster with get/list only, cluster-wide, the same
 * snapshot {@link ClusterFileReader} builds from a dump of the same objects. A kind that cannot be read
 * (its CRD is missing, or RBAC forbids listing it) is reported in one line and read as empty; a cluster
 * that cannot be reached stops the read with one line naming it.
 */
public final class ClusterApiReader {

    /** Objects per list request: big clusters are read page by page, with progress. */
    static final long PAGE_SIZE = 500;

    private final KubernetesClient client;
    private final Consumer<String> progress;
    private final Map<String, Integer> counts = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();

    /**
     * @param client   the client to read with
     * @param progress where to say what is being read, for big clusters (one line each)
     */
    public ClusterApiReader(KubernetesClient client, Consumer<String> progress) {
        this.client = client;
        this.progress = progress;
    }

    /** A kind read from the API: its name in summaries, its resource for messages, and how to list it. */
    private record Kind<T extends HasMetadata>(String kind, String resource, boolean namespaced, Class<T> type,
                                                ResourceDefinitionContext generic) {
    }

    private static <T extends HasMetadata> Kind<T> typed(String kind, String resource, boolean namespaced, Class<T> type) {
        return new Kind<>(kind, resource, namespaced, type, null);
    }

    private static Kind<GenericKubernetesResource> generic(String kind, String group, String version, String plural) {
        return new Kind<>(kind, plural + "." + group, true, GenericKubernetesResource.class,
                new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version).withKind(kind)
                        .withPlural(plural).withNamespaced(true).build());
    }

    /**
     * @throws ClusterUnreachableException when the API server cannot be reached or refuses the credentials
     */
    public ClusterSnapshot read() {
        return ClusterSnapshot.builder()
                .storageClasses(list(typed("StorageClass", "storageclasses.storage.k8s.io", false, StorageClass.class)))
                .volumeSnapshotClasses(list(typed("VolumeSnapshotClass", "volumesnapshotclasses.snapshot.storage.k8s.io",
                        false, VolumeSnapshotClass.class)))
                .storageProfiles(list(typed("StorageProfile", "storageprofiles.cdi.kubevirt.io", false, StorageProfile.class)))
                .dataImportCrons(list(typed("DataImportCron", "dataimportcrons.cdi.kubevirt.io", true, DataImportCron.class)))
                .volumeSnapshots(list(typed("VolumeSnapshot", "volumesnapshots.snapshot.storage.k8s.io", true, VolumeSnapshot.class)))
                .persistentVolumeClaims(list(typed("PersistentVolumeClaim", "persistentvolumeclaims", true, PersistentVolumeClaim.class)))
                .dataVolumes(list(typed("DataVolume", "datavolumes.cdi.kubevirt.io", true, DataVolume.class)))
                .dataSources(list(generic("DataSource", "cdi.kubevirt.io", "v1beta1", "datasources")))
                .cdis(list(typed("CDI", "cdis.cdi.kubevirt.io", false, Cdi.class)))
                .hyperConvergeds(list(generic("HyperConverged", "hco.kubevirt.io", "v1beta1", "hyperconvergeds")))
                .build();
    }

    /** How many objects of each kind were read, in {@link ClusterFileReader#KIND_NAMES} order. */
    public Map<String, Integer> counts() {
        Map<String, Integer> all = new LinkedHashMap<>();
        ClusterFileReader.KIND_NAMES.forEach(kind -> all.put(kind, counts.getOrDefault(kind, 0)));
        return all;
    }

    /** One line per kind that could not be read, and why; the read went on without it. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    private <T extends HasMetadata> List<T> list(Kind<T> kind) {
        List<T> objects = new ArrayList<>();
        String continueToken = null;
        int pages = 0;
        try {
            do {
                var options = new ListOptionsBuilder().withLimit(PAGE_SIZE).withContinue(continueToken).build();
                KubernetesResourceList<T> page = page(kind, options);
                objects.addAll(page.getItems());
                continueToken = page.getMetadata() == null ? null : page.getMetadata().getContinue();
                pages++;
                if (continueToken != null && !continueToken.isEmpty()) {
                    progress.accept("reading " + kind.resource() + ": " + objects.size() + " so far");
                }
            } while (continueToken != null && !continueToken.isEmpty());
        } catch (KubernetesClientException e) {
            String problem = problem(kind, e);
            problems.add(problem);
            progress.accept(problem);
            return List.of();
        }
        if (pages > 1) {
            progress.accept("read " + objects.size() + " " + kind.resource());
        }
        counts.put(kind.kind(), objects.size());
        return objects;
    }

    @SuppressWarnings("unchecked")
    private <T extends HasMetadata> KubernetesResourceList<T> page(Kind<T> kind, io.fabric8.kubernetes.api.model.ListOptions options) {
        if (kind.generic() != null) {
            return (KubernetesResourceList<T>) client.genericKubernetesResources(kind.generic()).inAnyNamespace().list(options);
        }
        var resources = client.resources(kind.type());
        return kind.namespaced() ? resources.inAnyNamespace().list(options) : resources.list(options);
    }

    private String problem(Kind<?> kind, KubernetesClientException e) {
        int code = e.getCode();
        String url = client.getConfiguration().getMasterUrl();
        if (code == 404) {
            return kind.kind() + "s: not read: the API server does not serve " + kind.resource()
                    + " (its CRD is not installed); read as none";
        }
        if (code == 403) {
            return kind.kind() + "s: not read: forbidden: RBAC lacks verb 'list' on resource " + kind.resource()
                    + (kind.namespaced() ? " in all namespaces" : "") + "; read as none";
        }
        if (code == 401 || code == 0 || isConnectionProblem(e)) {
            throw new ClusterUnreachableException("cluster " + url + ": " + (code == 401
                    ? "the credentials were refused (401 Unauthorized)"
                    : "cannot be reached (" + rootCause(e) + ")"));
        }
        return kind.kind() + "s: not read: " + code + " " + ErrorMessages.firstLine(e.getMessage()) + "; read as none";
    }

    private static boolean isConnectionProblem(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException
                    || t instanceof java.net.http.HttpConnectTimeoutException
                    || t instanceof java.io.IOException && !(t instanceof KubernetesClientException)) {
                return true;
            }
        }
        return false;
    }

    private static String rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + ErrorMessages.firstLine(root.getMessage()));
    }

    /** The cluster cannot be reached at all; nothing useful can be read. */
    public static final class ClusterUnreachableException extends RuntimeException {
        public ClusterUnreachableException(String message) {
            super(message);
        }
    }
}
