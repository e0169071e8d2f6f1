package dev.bootsource.policy;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Optional;
import java.util.stream.Stream;

import static dev.bootsource.policy.ClusterFixture.cluster;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * spec §4: the storage class of a DataVolume that names none is the DEFAULT_VIRT_SC class, else the
 * DEFAULT_SC class; among several defaults the newest {@code creationTimestamp} first, then name ascending.
 */
class DefaultStorageClassTest {

    static final boolean DEFAULT = true;
    static final boolean NOT_DEFAULT = false;
    static final boolean VIRT_DEFAULT = true;
    static final boolean NOT_VIRT_DEFAULT = false;

    static Stream<org.junit.jupiter.params.provider.Arguments> rows() {
        return Stream.of(
                arguments(Named.of("the default virt class beats the default class", cluster()
                                .storageClass("plain-default", "2026-10-02T00:00:00Z", DEFAULT, NOT_VIRT_DEFAULT)
                                .storageClass("virt-default", "2026-10-01T00:00:00Z", NOT_DEFAULT, VIRT_DEFAULT)),
                        "virt-default"),
                arguments(Named.of("without a default virt class the default class is used", cluster()
                                .storageClass("plain-default", "2026-10-01T00:00:00Z", DEFAULT, NOT_VIRT_DEFAULT)
                                .storageClass("other", "2026-10-02T00:00:00Z", NOT_DEFAULT, NOT_VIRT_DEFAULT)),
                        "plain-default"),
                arguments(Named.of("among several default classes the newest comes first", cluster()
                                .storageClass("a-old", "2026-09-01T00:00:00Z", DEFAULT, NOT_VIRT_DEFAULT)
                                .storageClass("z-new", "2026-10-01T00:00:00Z", DEFAULT, NOT_VIRT_DEFAULT)),
                        "z-new"),
                arguments(Named.of("among several default virt classes the newest comes first", cluster()
                                .storageClass("a-old", "2026-09-01T00:00:00Z", NOT_DEFAULT, VIRT_DEFAULT)
                                .storageClass("z-new", "2026-10-01T00:00:00Z", NOT_DEFAULT, VIRT_DEFAULT)),
                        "z-new"),
                arguments(Named.of("defaults created at the same time: the smallest name comes first", cluster()
                                .storageClass("b", "2026-10-01T00:00:00Z", DEFAULT, NOT_VIRT_DEFAULT)
                                .storageClass("a", "2026-10-01T00:00:00Z", DEFAULT, NOT_VIRT_DEFAULT)
                                .storageClass("c", "2026-10-01T00:00:00Z", DEFAULT, NOT_VIRT_DEFAULT)),
                        "a"),
                arguments(Named.of("a class annotated \"false\" is not a default", cluster()
                                .storageClass("sp", "2026-10-01T00:00:00Z", NOT_DEFAULT, NOT_VIRT_DEFAULT)
                                .annotateStorageClass("sp", "storageclass.kubernetes.io/is-default-class", "false")
                                .storageClass("standard", "2026-09-01T00:00:00Z", DEFAULT, NOT_VIRT_DEFAULT)),
                        "standard"),
                arguments(Named.of("no default class at all: none", cluster()
                                .storageClass("sp", "2026-10-01T00:00:00Z", NOT_DEFAULT, NOT_VIRT_DEFAULT)),
                        null),
                arguments(Named.of("an empty cluster: none", cluster()), null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void choosesTheDefaultAsTheSpecSays(ClusterFixture cluster, String expected) {
        assertThat(DefaultStorageClass.resolve(cluster.build()).map(sc -> sc.getMetadata().getName()))
                .isEqualTo(Optional.ofNullable(expected));
    }

    @Test
    void aNamedClassIsUsedAsNamedEvenWhenADefaultExists() {
        ClusterFixture cluster = cluster()
                .storageClass("standard", "2026-10-01T00:00:00Z", DEFAULT, VIRT_DEFAULT)
                .storageClass("sp", "2026-09-01T00:00:00Z", NOT_DEFAULT, NOT_VIRT_DEFAULT);

        assertThat(DefaultStorageClass.resolve(cluster.build(), Optional.of("sp"))).hasValueSatisfying(sc ->
                assertThat(sc.getMetadata().getName()).isEqualTo("sp"));
        assertThat(DefaultStorageClass.resolve(cluster.build(), Optional.of("missing"))).isEmpty();
        assertThat(DefaultStorageClass.resolve(cluster.build(), Optional.empty())).hasValueSatisfying(sc ->
                assertThat(sc.getMetadata().getName()).isEqualTo("standard"));
    }
}
