package dev.bootsource.tls;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The small DER writer and reader, checked against known encodings and against BouncyCastle. */
class DerTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void knownEncodings() {
        assertThat(HEX.formatHex(Der.oid("1.2.840.113549.1.1.11"))).isEqualTo("06092a864886f70d01010b");
        assertThat(HEX.formatHex(Der.oid("2.5.29.17"))).isEqualTo("0603551d11");
        assertThat(HEX.formatHex(Der.integer(0))).isEqualTo("020100");
        assertThat(HEX.formatHex(Der.integer(128))).isEqualTo("02020080");
        assertThat(HEX.formatHex(Der.bool(true))).isEqualTo("0101ff");
        assertThat(HEX.formatHex(Der.nullValue())).isEqualTo("0500");
        assertThat(HEX.formatHex(Der.bitString(new byte[] {(byte) 0x80}, 7))).isEqualTo("03020780");
        assertThat(HEX.formatHex(Der.time(Instant.parse("2049-12-31T23:59:59Z")))).isEqualTo("170d3439313233313233353935395a");
        assertThat(HEX.formatHex(Der.time(Instant.parse("2050-01-01T00:00:00Z")))).isEqualTo("180f32303530303130313030303030305a");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 127, 128, 255, 256, 65535, 65536, 3 * 1024 * 1024})
    void lengthsRoundTrip(int length) throws Exception {
        byte[] encoded = Der.octetString(new byte[length]);

        Der.Element read = Der.read(encoded);
        assertThat(read.tag()).isEqualTo(Der.OCTET_STRING);
        assertThat(read.content()).hasSize(length);
        assertThat(ASN1Primitive.fromByteArray(encoded).getEncoded()).isEqualTo(encoded);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2.840.10045.3.1.7", "1.3.132.0.34", "2.5.4.3", "1.3.6.1.4.1.311.60.2.1.1", "2.999.1"})
    void objectIdentifiersMatchBouncyCastle(String oid) throws Exception {
        assertThat(Der.oid(oid)).isEqualTo(new ASN1ObjectIdentifier(oid).getEncoded());
        assertThat(Der.read(Der.oid(oid)).oid()).isEqualTo(oid);
    }

    @Test
    void truncatedOrTrailingInputIsRefused() {
        byte[] sequence = Der.sequence(Der.integer(1), Der.integer(2));

        assertThatThrownBy(() -> Der.read(java.util.Arrays.copyOf(sequence, sequence.length - 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Der.read(java.util.Arrays.copyOf(sequence, sequence.length + 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
