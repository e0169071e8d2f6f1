package dev.bootsource.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * YAML for manifests an admin applies with {@code kubectl apply}: a string stays a string. kubectl reads
 * YAML 1.1, where an unquoted {@code 7000}, {@code 1.5}, {@code 0x1F}, {@code 2024-01-01}, {@code yes} or
 * {@code on} is a number, a date or a boolean, and an annotation, label or parameter must be a string. So
 * a value is written plain only when it starts with a letter and cannot be read as anything but a string.
 */
final class ManifestYaml {

    /** Words YAML 1.1 reads as booleans or null. */
    private static final Set<String> RESERVED = Set.of(
            "y", "n", "yes", "no", "on", "off", "true", "false", "null", "~");
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z][A-Za-z0-9_./:@+-]*(?: [A-Za-z0-9_./@+*()-]+)*");

    static final ObjectMapper MAPPER = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .stringQuotingChecker(new StringsStayStrings())
            .build());

    private ManifestYaml() {
    }

    static boolean isPlainSafe(String value) {
        return PLAIN.matcher(value).matches() && !RESERVED.contains(value.toLowerCase(Locale.ROOT))
                && !value.contains(": ") && !value.endsWith(":");
    }

    private static final class StringsStayStrings extends StringQuotingChecker.Default {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean needToQuoteValue(String value) {
            return super.needToQuoteValue(value) || !isPlainSafe(value);
        }

        @Override
        public boolean needToQuoteName(String name) {
            return super.needToQuoteName(name) || !isPlainSafe(name);
        }
    }
}
