package dev.bootsource.webhook;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** PEM text (RFC 7468) as blocks of DER, and back. */
final class Pem {

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
}
