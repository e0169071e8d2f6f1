package dev.bootsource.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bootsource.model.Keys;
import dev.bootsource.policy.AnnotationChange;
import dev.bootsource.policy.ClusterPlan;
import dev.bootsource.policy.GoldenSnapshotDecision;
import dev.bootsource.policy.ProfileDecision;
import dev.bootsource.policy.SnapshotClassToCreate;
import picocli.CommandLine.Help.Ansi;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** How a {@link ClusterPlan} is shown: the JSON of spec §6, or a table for people. */
final class PlanReport {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private PlanReport() {
    }

    /** The JSON of spec §6, written to {@code out} (which is left open). */
    static void json(ClusterPlan plan, PrintWriter out) {
        ObjectNode root = NODES.objectNode();
        root.putObject("cdi")
                .put("managesBootSources", plan.cdi().managesBootSources())
                .put("reason", plan.cdi().reason());
        ArrayNode profiles = root.putArray("storageProfiles");
        plan.storageProfiles().forEach(profile -> profiles.add(profileJson(profile)));
        ArrayNode classes = root.putArray("snapshotClasses");
        plan.snapshotClassesToCreate().forEach(create -> classes.add(snapshotClassJson(create)));
        ArrayNode golden = root.putArray("goldenSnapshots");
        plan.goldenSnapshots().forEach(snapshot -> golden.add(goldenJson(snapshot)));
        try {
            JSON.writeValue(out, root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode profileJson(ProfileDecision profile) {
        ObjectNode node = NODES.objectNode()
                .put("name", profile.storageClassName())
                .put("provisioner", profile.provisioner())
                .put("provisionerKey", profile.provisionerKey().value());
        ObjectNode annotations = node.putObject("annotations");
        new TreeMap<>(profile.annotationsAfter()).forEach(annotations::put);
        ArrayNode changes = node.putArray("changes");
        for (AnnotationChange change : profile.changes()) {
            ObjectNode changeNode = changes.addObject().put("op", change.op().label()).put("key", change.key());
            if (change.value() != null) {
                changeNode.put("value", change.value());
            }
            changeNode.put("reason", change.reason());
        }
        ArrayNode warnings = node.putArray("warnings");
        profile.warnings().forEach(warnings::add);
        return node;
    }

    private static ObjectNode snapshotClassJson(SnapshotClassToCreate create) {
        ObjectNode node = NODES.objectNode()
                .put("op", "create")
                .put("name", create.name())
                .put("driver", create.driver());
        ObjectNode parameters = node.putObject("parameters");
        new TreeMap<>(create.parameters()).forEach(parameters::put);
        node.put("forStorageClass", create.forStorageClass());
        return node;
    }

    private static ObjectNode goldenJson(GoldenSnapshotDecision decision) {
        ObjectNode node = NODES.objectNode()
                .put("namespace", decision.namespace())
                .put("name", decision.name())
                .put("dataImportCron", decision.dataImportCron());
        node.put("currentClass", decision.currentClass().orElse(null));
        node.put("desiredClass", decision.desiredClass().orElse(null));
        node.put("op", decision.op().label());
        node.put("reason", decision.reason());
        decision.blockedBy().ifPresent(why -> node.put("blockedBy", why.label()));
        return node;
    }

    /**
     * The table for people, written to {@code out} as it is made: a plan of thousands of profiles is
     * megabytes of text, not worth holding whole.
     */
    static void table(ClusterPlan plan, Ansi ansi, PrintWriter out) {
        Styles styles = new Styles(ansi);
        out.append(ansi.string("@|bold " + plan.cdi().summary() + ":|@ ")).append(plan.cdi().reason()).append('\n');
        out.append(plan.cdi().managesBootSources()
                ? "  golden snapshots are expected on the class CDI picks; BootSource deletes none and the webhook leaves VolumeSnapshots alone\n"
                : "  golden snapshots are expected on BootSource's snapshot class; the webhook and BootSource enforce it\n");
        out.append('\n');
        List<ProfileDecision> profiles = plan.storageProfiles();
        out.append(ansi.string("@|bold StorageProfiles (" + profiles.size() + ")|@")).append('\n');
        Table table = new Table("NAME", "PROVISIONER KEY", "RWO", "SNAPSHOT CLASS", "CHANGES");
        for (ProfileDecision profile : profiles) {
            Map<String, String> after = profile.annotationsAfter();
            table.row(profile.storageClassName(), profile.provisionerKey().value(),
                    after.getOrDefault(Keys.USE_RWO_FOR_BOOT_SOURCES, "-"),
                    after.getOrDefault(Keys.SNAPSHOT_CLASS_FOR_BOOT_SOURCES, "-"),
                    profile.changes().isEmpty() ? "none" : String.valueOf(profile.changes().size()));
        }
        table.render(out);
        String warningMark = ansi.string("@|yellow ! warning:|@ ");
        for (ProfileDecision profile : profiles) {
            if (profile.changes().isEmpty() && profile.warnings().isEmpty()) {
                continue;
            }
            out.append('\n').append(styles.apply("bold", profile.storageClassName())).append('\n');
            for (AnnotationChange change : profile.changes()) {
                String what = change.value() == null ? change.key() : change.key() + "=" + change.value();
                String marked = switch (change.op()) {
                    case ADD -> styles.apply("green", "+ " + what);
                    case REPLACE -> styles.apply("cyan", "~ " + what);
                    case REMOVE -> styles.apply("red", "- " + what);
                };
                out.append("  ").append(marked).append('\n');
                out.append("      ").append(change.reason()).append('\n');
            }
            for (String warning : profile.warnings()) {
                out.append("  ").append(warningMark).append(warning).append('\n');
            }
        }

        out.append('\n').append(ansi.string("@|bold VolumeSnapshotClasses to create (" + plan.snapshotClassesToCreate().size() + ")|@")).append('\n');
        if (plan.snapshotClassesToCreate().isEmpty()) {
            out.append("  none\n");
        }
        for (SnapshotClassToCreate create : plan.snapshotClassesToCreate()) {
            out.append("  ").append(ansi.string("@|green + " + create.name() + "|@"))
                    .append("  driver=").append(create.driver())
                    .append("  parameters=").append(String.valueOf(new TreeMap<>(create.parameters())))
                    .append("  (for StorageClass ").append(create.forStorageClass()).append(")\n");
        }

        out.append('\n').append(ansi.string("@|bold Golden snapshots (" + plan.goldenSnapshots().size() + ")|@")).append('\n');
        if (plan.goldenSnapshots().isEmpty()) {
            out.append("  none\n");
        } else {
            Table golden = new Table("NAMESPACE/NAME", "DATAIMPORTCRON", "CLASS", "DESIRED", "OP");
            plan.goldenSnapshots().forEach(g -> golden.row(g.namespace() + "/" + g.name(), g.dataImportCron(),
                    g.currentClass().orElse("-"), g.desiredClass().orElse("-"), g.op().label()));
            golden.render(out);
            for (GoldenSnapshotDecision g : plan.goldenSnapshots()) {
                String colour = switch (g.op()) {
                    case RECREATE -> "green";
                    case BLOCKED -> "yellow";
                    case KEEP -> "faint";
                };
                out.append("  ").append(styles.apply(colour, g.op().label()
                                + g.blockedBy().map(why -> " (" + why.label() + ")").orElse(""))).append(' ')
                        .append(g.namespace()).append('/').append(g.name()).append(": ").append(g.reason()).append('\n');
            }
        }

        long changing = profiles.stream().filter(p -> !p.changes().isEmpty()).count();
        long warnings = profiles.stream().mapToLong(p -> p.warnings().size()).sum();
        long recreated = plan.goldenSnapshots().stream().filter(g -> g.op() == GoldenSnapshotDecision.Op.RECREATE).count();
        out.append('\n').append(ansi.string("@|bold Summary:|@ ")).append(changing + " of " + profiles.size()
                + " profile(s) change, " + plan.snapshotClassesToCreate().size()
                + " snapshot class(es) to create, " + recreated + " golden snapshot(s) to recreate, "
                + warnings + " warning(s).\n");
    }
}
