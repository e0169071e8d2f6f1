package dev.bootsource.restore;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The shape of restored PVCs, decided without a server: one row per sentence of the restore-test contract. */
class ClaimShapeChoiceTest {

    private static final String NS = "kubevirt-os-images";
    private static final GoldenImage SNAPSHOT = new GoldenImage(GoldenImage.Kind.VOLUME_SNAPSHOT, NS, "fedora-1",
            Optional.of("5Gi"), Optional.of("sp-images"), true, List.of());
    private static final GoldenImage NO_SIZE = new GoldenImage(GoldenImage.Kind.VOLUME_SNAPSHOT, NS, "fedora-2",
            Optional.empty(), Optional.empty(), false, List.of());

    private static final StorageClass SP_WFFC = storageClass("sp-balanced", "WaitForFirstConsumer", true, false);
    private static final StorageClass STANDARD = storageClass("standard", "Immediate", false, true);
    private static final List<StorageClass> CLASSES = List.of(SP_WFFC, STANDARD);

    private static final List<Map<String, Object>> RWX_BLOCK_FIRST = List.of(
            Map.of("accessModes", List.of("ReadWriteMany"), "volumeMode", "Block"),
            Map.of("accessModes", List.of("ReadWriteOnce"), "volumeMode", "Filesystem"));
    private static final List<Node> NODES = List.of(
            node("node-c", true, false, false),
            node("node-b", true, true, false),
            node("node-a0", false, false, false),
            node("node-d", true, false, true),
            node("node-a", true, false, false));

    /** What is asked, the class, profile and nodes the cluster has, and the shape (or error) that follows. */
    record Row(Ask ask, GoldenImage image, List<StorageClass> classes, List<Map<String, Object>> propertySets,
               List<Node> nodes, Object expected, List<String> notes) {
    }

    record Ask(String storageClass, String accessMode, String volumeMode, String size, String node) {
        static Ask nothing() {
            return new Ask(null, null, null, null, null);
        }

        RestoreTestSettings settings() {
            return new RestoreTestSettings(new ImageRef(NS, "fedora"), 3, Optional.ofNullable(storageClass), Optional.empty(),
                    Duration.ofMinutes(10), false, Optional.ofNullable(accessMode), Optional.ofNullable(volumeMode),
                    Optional.ofNullable(size), Optional.ofNullable(node), Duration.ofSeconds(2), Optional.of("t1"));
        }
    }

    static Stream<Arguments> rows() {
        return Stream.of(
                arguments("the default virt class, its profile's first claim property set, the snapshot's size, the first "
                                + "schedulable node by name, like a VM disk",
                        new Row(Ask.nothing(), SNAPSHOT, CLASSES, RWX_BLOCK_FIRST, NODES,
                                shape("sp-balanced", List.of("ReadWriteMany"), "Block", "5Gi", "node-a"), List.of())),
                arguments("no profile: ReadWriteOnce and the cluster's volume mode",
                        new Row(Ask.nothing(), SNAPSHOT, CLASSES, List.of(), NODES,
                                shape("sp-balanced", List.of("ReadWriteOnce"), null, "5Gi", "node-a"), List.of())),
                arguments("an access mode given picks the volume mode of the profile's set with that mode",
                        new Row(new Ask(null, "ReadWriteOnce", null, null, null), SNAPSHOT, CLASSES, RWX_BLOCK_FIRST, NODES,
                                shape("sp-balanced", List.of("ReadWriteOnce"), "Filesystem", "5Gi", "node-a"), List.of())),
                arguments("class, modes, size and node given win",
                        new Row(new Ask("sp-balanced", "ReadWriteOnce", "Block", "20Gi", "node-x"), SNAPSHOT, CLASSES,
                                RWX_BLOCK_FIRST, NODES,
                                shape("sp-balanced", List.of("ReadWriteOnce"), "Block", "20Gi", "node-x"), List.of())),
                arguments("a class that binds immediately gets no node, and a node given is noted as unused",
                        new Row(new Ask("standard", null, null, null, "node-x"), SNAPSHOT, CLASSES, List.of(), List.of(),
                                shape("standard", List.of("ReadWriteOnce"), null, "5Gi", null),
                                List.of("--node is only used for a WaitForFirstConsumer class; standard binds immediately"))),
                arguments("StorageClasses that could not be read leave the asked-for class to the cluster",
                        new Row(new Ask("sp-balanced", null, null, null, null), SNAPSHOT, List.of(), List.of(), List.of(),
                                shape("sp-balanced", List.of("ReadWriteOnce"), null, "5Gi", null), List.of())),
                arguments("no class asked for and none known: the cluster default",
                        new Row(Ask.nothing(), SNAPSHOT, List.of(), List.of(), List.of(),
                                shape(null, List.of("ReadWriteOnce"), null, "5Gi", null), List.of())),
                arguments("an unknown class is bad input",
                        new Row(new Ask("nope", null, null, null, null), SNAPSHOT, CLASSES, List.of(), NODES,
                                new IllegalArgumentException("StorageClass nope (--storage-class) does not exist"), List.of())),
                arguments("an image that does not say its size needs --size",
                        new Row(Ask.nothing(), NO_SIZE, CLASSES, List.of(), NODES,
                                new IllegalArgumentException("VolumeSnapshot kubevirt-os-images/fedora-2 does not say its size "
                                        + "(no restoreSize yet); pass --size"), List.of())),
                arguments("a WaitForFirstConsumer class with no Ready, untainted, schedulable node needs --node",
                        new Row(Ask.nothing(), SNAPSHOT, CLASSES, List.of(), List.of(node("node-b", true, true, false)),
                                new IllegalStateException("StorageClass sp-balanced waits for the first consumer and no node "
                                        + "is Ready and schedulable; pass --node NAME"), List.of())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void claimShape(String behaviour, Row row) {
        RestoreTestSettings settings = row.ask().settings();
        if (row.expected() instanceof RuntimeException error) {
            assertThatThrownBy(() -> choose(settings, row)).isInstanceOf(error.getClass()).hasMessage(error.getMessage());
            return;
        }
        ClaimShapeChoice.Chosen chosen = choose(settings, row);
        assertThat(chosen.shape()).isEqualTo(row.expected());
        assertThat(chosen.notes()).isEqualTo(row.notes());
    }

    static Stream<Arguments> nodeNeeded() {
        return Stream.of(
                arguments("a WaitForFirstConsumer class without --node", Ask.nothing(), Optional.of(SP_WFFC), true),
                arguments("a WaitForFirstConsumer class with --node", new Ask(null, null, null, null, "n"), Optional.of(SP_WFFC), false),
                arguments("a class that binds immediately", Ask.nothing(), Optional.of(STANDARD), false),
                arguments("no class known", Ask.nothing(), Optional.<StorageClass>empty(), false));
    }

    @ParameterizedTest(name = "nodes are read for {0}: {3}")
    @MethodSource("nodeNeeded")
    void nodesAreReadOnlyWhenANodeMustBeChosen(String behaviour, Ask ask, Optional<StorageClass> storageClass, boolean needed) {
        assertThat(ClaimShapeChoice.needsNode(ask.settings(), storageClass)).isEqualTo(needed);
    }

    private static ClaimShapeChoice.Chosen choose(RestoreTestSettings settings, Row row) {
        Optional<StorageClass> storageClass = ClaimShapeChoice.storageClass(settings.storageClass(), row.classes());
        return ClaimShapeChoice.choose(settings, row.image(), storageClass, row.propertySets(), row.nodes());
    }

    private static ClaimShape shape(String storageClass, List<String> accessModes, String volumeMode, String size, String node) {
        return new ClaimShape(Optional.ofNullable(storageClass), accessModes, Optional.ofNullable(volumeMode), size,
                Optional.ofNullable(node));
    }

    private static StorageClass storageClass(String name, String bindingMode, boolean defaultVirt, boolean defaultClass) {
        return new StorageClassBuilder()
                .withNewMetadata().withName(name)
                .addToAnnotations("storageclass.kubevirt.io/is-default-virt-class", String.valueOf(defaultVirt))
                .addToAnnotations("storageclass.kubernetes.io/is-default-class", String.valueOf(defaultClass))
                .endMetadata()
                .withProvisioner("pd.csi.storage.gke.io")
                .withVolumeBindingMode(bindingMode)
                .build();
    }

    private static Node node(String name, boolean ready, boolean tainted, boolean unschedulable) {
        NodeBuilder node = new NodeBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withUnschedulable(unschedulable).endSpec()
                .withNewStatus().addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
                .endStatus();
        if (tainted) {
            node.editSpec().addNewTaint().withKey("dedicated").withEffect("NoSchedule").endTaint().endSpec();
        }
        return node.build();
    }
}
