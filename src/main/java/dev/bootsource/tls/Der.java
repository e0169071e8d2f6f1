package dev.bootsource.tls;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Just enough ASN.1 DER for TLS material the JDK has no API for: writing X.509 certificates
 * ({@link CertificateTemplate}), and reading the few structures around a PEM private key (PKCS#1, SEC1,
 * PKCS#8). Definite lengths only, as DER requires; no general ASN.1.
 */
final class Der {

    static final int INTEGER = 0x02;
    static final int BIT_STRING = 0x03;
    static final int OCTET_STRING = 0x04;
    static final int NULL = 0x05;
    static final int OID = 0x06;
    static final int SEQUENCE = 0x30;

    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter GENERALIZED_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final Instant UTC_TIME_END = Instant.parse("2050-01-01T00:00:00Z");

    private Der() {
    }

    // ---- writing

    static byte[] sequence(byte[]... elements) {
        return element(SEQUENCE, concat(elements));
    }

    static byte[] set(byte[]... elements) {
        return element(0x31, concat(elements));
    }

    static byte[] integer(BigInteger value) {
        return element(INTEGER, value.toByteArray());
    }

    static byte[] integer(long value) {
        return integer(BigInteger.valueOf(value));
    }

    static byte[] bool(boolean value) {
        return element(0x01, new byte[] {(byte) (value ? 0xFF : 0x00)});
    }

    static byte[] nullValue() {
        return element(NULL, new byte[0]);
    }

    static byte[] octetString(byte[] content) {
        return element(OCTET_STRING, content);
    }

    /** A BIT STRING of whole bytes, or with {@code unusedBits} low bits of the last byte unused. */
    static byte[] bitString(byte[] content, int unusedBits) {
        byte[] value = new byte[content.length + 1];
        value[0] = (byte) unusedBits;
        System.arraycopy(content, 0, value, 1, content.length);
        return element(BIT_STRING, value);
    }

    static byte[] utf8String(String text) {
        return element(0x0C, text.getBytes(StandardCharsets.UTF_8));
    }

    /** UTCTime until 2049, GeneralizedTime from 2050 on (RFC 5280 4.1.2.5). */
    static byte[] time(Instant instant) {
        return instant.isBefore(UTC_TIME_END)
                ? element(0x17, UTC_TIME.format(instant).getBytes(StandardCharsets.US_ASCII))
                : element(0x18, GENERALIZED_TIME.format(instant).getBytes(StandardCharsets.US_ASCII));
    }

    static byte[] oid(String dotted) {
        String[] arcs = dotted.split("\\.");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        base128(out, Long.parseLong(arcs[0]) * 40 + Long.parseLong(arcs[1]));
        for (int i = 2; i < arcs.length; i++) {
            base128(out, Long.parseLong(arcs[i]));
        }
        return element(OID, out.toByteArray());
    }

    /** {@code [n] EXPLICIT}: a constructed context-specific wrapper around a whole element. */
    static byte[] explicit(int tagNumber, byte[] element) {
        return element(0xA0 | tagNumber, element);
    }

    /** {@code [n] IMPLICIT} of a primitive type: the content with a context-specific tag. */
    static byte[] implicit(int tagNumber, byte[] content) {
        return element(0x80 | tagNumber, content);
    }

    static byte[] element(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = (Integer.SIZE - Integer.numberOfLeadingZeros(length) + 7) / 8;
            out.write(0x80 | bytes);
            for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8) {
                out.write(length >>> shift);
            }
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static void base128(ByteArrayOutputStream out, long value) {
        int groups = Math.max(1, (Long.SIZE - Long.numberOfLeadingZeros(value) + 6) / 7);
        for (int group = groups - 1; group >= 0; group--) {
            int bits = (int) (value >>> (7 * group)) & 0x7F;
            out.write(group == 0 ? bits : bits | 0x80);
        }
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    // ---- reading

    /** One element: its tag, its content, and the whole encoding. */
    record Element(int tag, byte[] content, byte[] encoded) {

        /** The elements a constructed element (SEQUENCE, SET, [n] EXPLICIT) holds. */
        List<Element> children() {
            List<Element> children = new ArrayList<>();
            int offset = 0;
            while (offset < content.length) {
                Element child = read(content, offset);
                children.add(child);
                offset += child.encoded().length;
            }
            return children;
        }

        String oid() {
            if (tag != OID || content.length == 0) {
                throw new IllegalArgumentException("expected an OBJECT IDENTIFIER, found tag 0x" + Integer.toHexString(tag));
            }
            StringBuilder dotted = new StringBuilder();
            long value = 0;
            boolean first = true;
            for (byte b : content) {
                value = (value << 7) | (b & 0x7F);
                if ((b & 0x80) == 0) {
                    if (first) {
                        long top = Math.min(value / 40, 2);
                        dotted.append(top).append('.').append(value - top * 40);
                        first = false;
                    } else {
                        dotted.append('.').append(value);
                    }
                    value = 0;
                }
            }
            return dotted.toString();
        }
    }

    /** The whole of {@code der} as one element; trailing bytes are an error. */
    static Element read(byte[] der) {
        Element element = read(der, 0);
        if (element.encoded().length != der.length) {
            throw new IllegalArgumentException("trailing bytes after a DER element");
        }
        return element;
    }

    static Element read(byte[] der, int offset) {
        if (offset + 2 > der.length) {
            throw new IllegalArgumentException("truncated DER");
        }
        int tag = der[offset] & 0xFF;
        if ((tag & 0x1F) == 0x1F) {
            throw new IllegalArgumentException("multi-byte DER tags are not supported");
        }
        int first = der[offset + 1] & 0xFF;
        int header = 2;
        long length;
        if (first < 0x80) {
            length = first;
        } else {
            int bytes = first & 0x7F;
            if (bytes == 0 || bytes > 4 || offset + 2 + bytes > der.length) {
                throw new IllegalArgumentException("bad DER length");
            }
            length = 0;
            for (int i = 0; i < bytes; i++) {
                length = (length << 8) | (der[offset + 2 + i] & 0xFF);
            }
            header += bytes;
        }
        if (offset + header + length > der.length) {
            throw new IllegalArgumentException("truncated DER");
        }
        int end = offset + header + (int) length;
        byte[] content = java.util.Arrays.copyOfRange(der, offset + header, end);
        byte[] encoded = java.util.Arrays.copyOfRange(der, offset, end);
        return new Element(tag, content, encoded);
    }
}
