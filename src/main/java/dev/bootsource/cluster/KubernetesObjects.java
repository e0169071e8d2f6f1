package dev.bootsource.cluster;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import org.yaml.snakeyaml.LoaderOptions;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits YAML or JSON text into Kubernetes objects: one object, several YAML documents, or a
 * {@code kind: List} (what {@code kubectl get -o yaml} prints), nested lists included. Input of any size
 * a cluster dump reaches is accepted; templates, YAML aliases, text that is not UTF-8 and binary files
 * are refused with one line that says what to do instead.
 */
public final class KubernetesObjects {

    /** A dump of a large cluster is tens of MiB; SnakeYAML's default refuses anything over 3 MiB. */
    private static final int MAX_CODE_POINTS = Integer.MAX_VALUE;

    /** Binds objects to our models; tolerant of fields we do not model. */
    public static final ObjectMapper MAPPER = new ObjectMapper(YAMLFactory.builder()
            // `annotations:` with nothing after it is null to kubectl, not an empty string.
            .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
            .loaderOptions(loaderOptions())
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(Integer.MAX_VALUE)
                    .maxDocumentLength(-1)
                    .build())
            .build())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private static final Pattern TEMPLATE_LINE = Pattern.compile("(?m)^\\s*(?:-\\s+)?(?:[\\w.\\-/\"']+:\\s*)?\\{\\{.*}}");

    private KubernetesObjects() {
    }

    private static LoaderOptions loaderOptions() {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(MAX_CODE_POINTS);
        return options;
    }

    /** One object and where it came from, e.g. {@code cluster.yaml (document 2, item 5)}. */
    public record Located(JsonNode object, String where) {
    }

    /**
     * @param text   the content
     * @param source what to call the content in errors, e.g. the file name
     */
    public static List<JsonNode> split(String text, String source) {
        return locate(text, source).stream().map(Located::object).toList();
    }

    /** As {@link #split}, with where in the source each object is. */
    public static List<Located> locate(String text, String source) {
        refuseTemplates(text, source);
        List<Located> objects = new ArrayList<>();
        try (JsonParser parser = new AliasRefusingParser(MAPPER.getFactory().createParser(text));
             MappingIterator<JsonNode> documents = MAPPER.readerFor(JsonNode.class).readValues(parser)) {
            int document = 0;
            while (documents.hasNextValue()) {
                document++;
                JsonNode node = documents.nextValue();
                if (node == null || node.isNull() || node.isMissingNode() || (node.isTextual() && node.asText().isEmpty())) {
                    continue;
                }
                if (!node.isObject()) {
                    throw new ClusterInputException(source + ": document " + document
                            + " is not a Kubernetes object (a mapping with apiVersion, kind and metadata)");
                }
                flatten(node, source, source + " (document " + document, objects);
            }
        } catch (AliasException e) {
            throw new ClusterInputException(source + ": YAML alias *" + e.alias + e.where
                    + ": aliases and anchors are not supported; write the values out (kubectl get -o yaml never uses them)");
        } catch (IOException e) {
            if (text.contains("{{")) {
                throw new ClusterInputException(source + ": looks like a template ({{ ... }}), not Kubernetes objects"
                        + at(e) + "; render it first (helm template, kustomize build) and pass the output");
            }
            throw new ClusterInputException(source + ": not valid YAML or JSON" + at(e) + ": " + describe(e));
        } catch (RuntimeException e) {
            if (e instanceof ClusterInputException) {
                throw e;
            }
            throw new ClusterInputException(source + ": not valid YAML or JSON: " + describe(e));
        }
        return objects;
    }

    /**
     * Text from bytes: UTF-8 (a byte-order mark is dropped). Binary content and other encodings are
     * refused with a message that names the problem and the fix.
     */
    public static String decode(byte[] bytes, String source) {
        if (startsWith(bytes, 0x1f, 0x8b)) {
            throw new ClusterInputException(source + ": a gzip file, not text; unpack it first (gunzip)");
        }
        if (startsWith(bytes, 'P', 'K', 3, 4)) {
            throw new ClusterInputException(source + ": a zip file, not text; unpack it first");
        }
        if (startsWith(bytes, 0xff, 0xfe) || startsWith(bytes, 0xfe, 0xff)) {
            throw new ClusterInputException(source + ": UTF-16 text; save it as UTF-8 (e.g. iconv -f utf-16 -t utf-8, "
                    + "or Out-File -Encoding utf8 in PowerShell)");
        }
        int probe = Math.min(bytes.length, 8192);
        for (int i = 0; i < probe; i++) {
            if (bytes[i] == 0) {
                throw new ClusterInputException(source + ": a binary file (byte 0 at offset " + i
                        + "), not YAML or JSON text");
            }
        }
        int start = startsWith(bytes, 0xef, 0xbb, 0xbf) ? 3 : 0;
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, start, bytes.length - start))
                    .toString();
        } catch (MalformedInputException e) {
            int offset = firstMalformed(bytes, start);
            long line = 1;
            for (int i = 0; i < offset; i++) {
                if (bytes[i] == '\n') {
                    line++;
                }
            }
            throw new ClusterInputException(source + ": not UTF-8 text (byte 0x"
                    + String.format("%02X", bytes[offset] & 0xff) + " at line " + line
                    + "); save it as UTF-8, e.g. iconv -f latin1 -t utf-8");
        } catch (CharacterCodingException e) {
            throw new ClusterInputException(source + ": not UTF-8 text; save it as UTF-8");
        }
    }

    private static int firstMalformed(byte[] bytes, int start) {
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
        var out = java.nio.CharBuffer.allocate(bytes.length + 1);
        var result = decoder.decode(in, out, true);
        return result.isError() ? in.position() : start;
    }

    private static boolean startsWith(byte[] bytes, int... prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((bytes[i] & 0xff) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static void refuseTemplates(String text, String source) {
        if (!text.contains("{{")) {
            return;
        }
        Matcher matcher = TEMPLATE_LINE.matcher(text);
        if (matcher.find()) {
            long line = text.substring(0, matcher.start()).chars().filter(c -> c == '\n').count() + 1;
            throw new ClusterInputException(source + ": looks like a template ({{ ... }} at line " + line
                    + "), not Kubernetes objects; render it first (helm template, kustomize build) and pass the output");
        }
    }

    private static void flatten(JsonNode node, String source, String where, List<Located> into) {
        String kind = node.path("kind").asText("");
        if (kind.endsWith("List") && node.has("items")) {
            JsonNode items = node.get("items");
            if (!items.isArray()) {
                throw new ClusterInputException(source + ": " + kind + " has 'items' that is not a list");
            }
            int item = 0;
            for (JsonNode child : items) {
                item++;
                flatten(child, source, where + ", item " + item, into);
            }
            return;
        }
        into.add(new Located(node, where + ")"));
    }

    /** "kind namespace/name" for messages, with what is known of an object that may be malformed. */
    public static String describe(JsonNode object) {
        String kind = object.path("kind").asText("(no kind)");
        String namespace = object.path("metadata").path("namespace").asText("");
        String name = object.path("metadata").path("name").asText("(no name)");
        return kind + " " + (namespace.isEmpty() ? "" : namespace + "/") + name;
    }

    /** " at line N" where the parser knows the line, else nothing. */
    private static String at(IOException e) {
        if (e instanceof JsonProcessingException parsing && parsing.getLocation() != null
                && parsing.getLocation().getLineNr() > 0) {
            return " at line " + parsing.getLocation().getLineNr();
        }
        return "";
    }

    private static String describe(Exception e) {
        String message = e instanceof JsonProcessingException parsing ? parsing.getOriginalMessage() : e.getMessage();
        message = message == null ? e.getClass().getSimpleName() : message;
        return message.lines().findFirst().orElse(message).trim();
    }

    /** A YAML alias met while reading: Jackson would read it as the anchor's name, silently. */
    private static final class AliasException extends IOException {
        private final String alias;
        private final String where;

        AliasException(String alias, String where) {
            super("alias *" + alias);
            this.alias = alias;
            this.where = where;
        }
    }

    private static final class AliasRefusingParser extends JsonParserDelegate {
        AliasRefusingParser(JsonParser delegate) {
            super(delegate);
        }

        @Override
        public JsonToken nextToken() throws IOException {
            JsonToken token = super.nextToken();
            if (delegate instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
                var location = yaml.currentLocation();
                throw new AliasException(yaml.getText(),
                        location != null && location.getLineNr() > 0 ? " at line " + location.getLineNr() : "");
            }
            return token;
        }
    }
}
