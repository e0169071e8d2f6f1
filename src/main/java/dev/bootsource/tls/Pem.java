package dev.bootsource.tls;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * PEM text (RFC 7468) as blocks of DER, and back; the certificates and private keys it holds, read and
 * written with the JDK alone. Certificates: the {@code CERTIFICATE} blocks, through the JDK's
 * certificate factory. Private keys: {@code PRIVATE KEY} (PKCS#8), {@code RSA PRIVATE KEY} (PKCS#1) and
 * {@code EC PRIVATE KEY} (SEC1, an {@code EC PARAMETERS} block before it naming the curve when the key
 * does not); keys are written as PKCS#8.
 */
public final class Pem {

    private static final String BEGIN = "-----BEGIN ";
    private static final String END = "-----END ";
    private static final String DASHES = "-----";

    /**
     * @param type      e.g. {@code CERTIFICATE}, {@code EC PRIVATE KEY}
     * @param encrypted an RFC 1421 {@code Proc-Type: 4,ENCRYPTED} header was present
     */
    record Block(String type, byte[] der, boolean encrypted) {
    }

    private Pem() {
    }

    /**
     * The certificates of the {@code CERTIFICATE} blocks, in order; other blocks are skipped. Empty when
     * there is none.
     *
     * @throws IllegalArgumentException "not a PEM certificate: ..." for a block that is not one
     */
    public static List<X509Certificate> certificates(byte[] pem) {
        List<X509Certificate> certificates = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Block block : read(pem)) {
                if (block.type().equals("CERTIFICATE")) {
                    certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
                }
            }
        } catch (CertificateException | RuntimeException e) {
            throw new IllegalArgumentException("not a PEM certificate: " + message(e), e);
        }
        return certificates;
    }

    /**
     * The first private key, unencrypted, in any of the three forms; blocks before it are skipped.
     *
     * @throws IllegalArgumentException saying why not: the key is encrypted, there is no key block, or it
     *                                  is not a key ("not a PEM private key: ...")
     */
    public static PrivateKey privateKey(byte[] pem) {
        List<Block> blocks;
        try {
            blocks = read(pem);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a PEM private key: " + message(e), e);
        }
        Optional<String> ecParameters = Optional.empty();
        for (Block block : blocks) {
            if (block.encrypted() || block.type().equals("ENCRYPTED PRIVATE KEY")) {
                throw new IllegalArgumentException("the private key is encrypted; give it unencrypted, "
                        + "as a Kubernetes TLS Secret holds it");
            }
            try {
                switch (block.type()) {
                    case "EC PARAMETERS" -> ecParameters = Optional.of(Der.read(block.der()).oid());
                    case "PRIVATE KEY" -> {
                        return PrivateKeys.fromPkcs8(block.der());
                    }
                    case "RSA PRIVATE KEY" -> {
                        return PrivateKeys.fromPkcs8(PrivateKeys.pkcs8FromPkcs1(block.der()));
                    }
                    case "EC PRIVATE KEY" -> {
                        return PrivateKeys.fromPkcs8(PrivateKeys.pkcs8FromSec1(block.der(), ecParameters));
                    }
                    default -> {
                        // certificates and other blocks beside the key
                    }
                }
            } catch (GeneralSecurityException | RuntimeException e) {
                throw new IllegalArgumentException("not a PEM private key: " + message(e), e);
            }
        }
        throw new IllegalArgumentException("no PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY block found");
    }

    /** {@code CERTIFICATE} blocks, in order. */
    public static String write(List<X509Certificate> certificates) {
        StringBuilder pem = new StringBuilder();
        for (X509Certificate certificate : certificates) {
            try {
                pem.append(write("CERTIFICATE", certificate.getEncoded()));
            } catch (CertificateEncodingException e) {
                throw new IllegalStateException("cannot encode a certificate", e);
            }
        }
        return pem.toString();
    }

    /** A {@code PRIVATE KEY} block: the key's PKCS#8 encoding. */
    public static String write(PrivateKey key) {
        if (!"PKCS#8".equals(key.getFormat())) {
            throw new IllegalArgumentException("a " + key.getAlgorithm() + " key without a PKCS#8 encoding");
        }
        return write("PRIVATE KEY", key.getEncoded());
    }

    /**
     * The blocks in order; text between blocks is ignored.
     *
     * @throws IllegalArgumentException for a block without its END line or with invalid base64
     */
    static List<Block> read(byte[] pem) {
        String text = new String(pem, StandardCharsets.US_ASCII);
        List<Block> blocks = new ArrayList<>();
        int at = 0;
        while (true) {
            int begin = text.indexOf(BEGIN, at);
            if (begin < 0) {
                return blocks;
            }
            int typeEnd = text.indexOf(DASHES, begin + BEGIN.length());
            if (typeEnd < 0) {
                throw new IllegalArgumentException("a BEGIN line without its closing dashes");
            }
            String type = text.substring(begin + BEGIN.length(), typeEnd);
            String endLine = END + type + DASHES;
            int end = text.indexOf(endLine, typeEnd);
            if (end < 0) {
                throw new IllegalArgumentException("no " + endLine + " line for the " + type + " block");
            }
            StringBuilder base64 = new StringBuilder();
            boolean encrypted = false;
            for (String line : text.substring(typeEnd + DASHES.length(), end).split("\r?\n")) {
                String trimmed = line.strip();
                if (trimmed.contains(":")) {
                    encrypted |= trimmed.startsWith("Proc-Type:") && trimmed.contains("ENCRYPTED");
                } else {
                    base64.append(trimmed);
                }
            }
            try {
                blocks.add(new Block(type, Base64.getDecoder().decode(base64.toString()), encrypted));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the " + type + " block is not valid base64", e);
            }
            at = end + endLine.length();
        }
    }

    static String write(String type, byte[] der) {
        return BEGIN + type + DASHES + "\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der) + "\n"
                + END + type + DASHES + "\n";
    }

    /** The first line of an exception's message, or its class name when it has none. */
    private static String message(Exception e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message.lines().findFirst().orElse("");
    }
}
