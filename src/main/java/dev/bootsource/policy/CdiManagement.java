package dev.bootsource.policy;

import dev.bootsource.cluster.ClusterView;
import dev.bootsource.model.Cdi;
import dev.bootsource.model.Keys;
import dev.bootsource.model.StorageProfile;

import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether CDI manages boot-source storage itself (spec §3.1), and why BootSource thinks so. CDI v1.65.0
 * and later import golden images ReadWriteOnce, choose the golden snapshot's class and delete golden
 * snapshots on any other class; where it does, BootSource must not fight it.
 *
 * @param managesBootSources true where CDI manages boot sources
 * @param reason             what told BootSource so, for plan, /readyz, logs and metrics
 */
public record CdiManagement(boolean managesBootSources, String reason) {

    /** The first CDI release that manages boot-source storage itself. */
    static final int[] FIRST_MANAGING_VERSION = {1, 65};
    private static final Pattern VERSION = Pattern.compile("^v?(\\d+)\\.(\\d+)(?:\\.(\\d+))?");

    /** From the admin's switch, else the CDI resource's version, else upstream annotations on any profile. */
    public static CdiManagement detect(ClusterView cluster, CdiMode mode) {
        if (mode == CdiMode.YES) {
            return new CdiManagement(true, "--cdi-manages-boot-sources yes");
        }
        if (mode == CdiMode.NO) {
            return new CdiManagement(false, "--cdi-manages-boot-sources no");
        }
        Optional<Cdi> reporting = cluster.cdis().stream()
                .filter(cdi -> cdi.observedVersion().isPresent())
                .min(Comparator.comparing(cdi -> cdi.getMetadata().getName()));
        if (reporting.isPresent()) {
            String name = reporting.get().getMetadata().getName();
            String version = reporting.get().observedVersion().orElseThrow();
            Optional<Boolean> manages = managingVersion(version);
            if (manages.isPresent()) {
                return new CdiManagement(manages.get(), "CDI " + name + " reports version " + version
                        + (manages.get() ? " (v1.65.0 or later)" : " (before v1.65.0)"));
            }
        }
        // Asked on every decision, so answered from the view's index rather than a scan of every profile.
        Optional<StorageProfile> annotated = Keys.UPSTREAM_BOOT_SOURCE_KEYS.stream()
                .flatMap(upstream -> cluster.storageProfilesAnnotatedWith(upstream).stream())
                .min(Comparator.comparing(profile -> profile.getMetadata().getName()));
        if (annotated.isPresent()) {
            String upstream = Keys.UPSTREAM_BOOT_SOURCE_KEYS.stream().filter(annotated.get()::hasAnnotation).findFirst().orElseThrow();
            return new CdiManagement(true, "no CDI version is known, and StorageProfile "
                    + annotated.get().getMetadata().getName() + " carries " + upstream + ", which only CDI v1.65.0 or later writes");
        }
        return new CdiManagement(false, reporting.isEmpty() && cluster.cdis().isEmpty()
                ? "no CDI resource is known and no StorageProfile carries CDI's own boot-source annotations"
                : "the CDI resource reports no version BootSource can read, and no StorageProfile carries CDI's own boot-source annotations");
    }

    /** Empty when the text is not a version. */
    static Optional<Boolean> managingVersion(String version) {
        Matcher matcher = VERSION.matcher(version.trim());
        if (!matcher.find()) {
            return Optional.empty();
        }
        int major = Integer.parseInt(matcher.group(1));
        int minor = Integer.parseInt(matcher.group(2));
        return Optional.of(major > FIRST_MANAGING_VERSION[0]
                || (major == FIRST_MANAGING_VERSION[0] && minor >= FIRST_MANAGING_VERSION[1]));
    }

    /** "manages boot sources" or "does not manage boot sources", for one-line summaries. */
    public String summary() {
        return managesBootSources ? "CDI manages boot sources" : "CDI does not manage boot sources";
    }
}
