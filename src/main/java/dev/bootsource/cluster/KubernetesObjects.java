package dev.bootsource.cluster;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import org.yaml.snakeyaml.LoaderOptions;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits YAML or JSON text into Kubernetes objects: one object, several YAML documents, or a
 * {@code kind: List} (what {@code kubectl get -o yaml} prints), nested lists included. Objects are read
 * one at a time ({@link #read}), so input of any size a cluster dump reaches is accepted without holding
 * it as one tree; templates, YAML aliases, text that is not UTF-8 and binary files are refused with one
 * line that says what to do instead.
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
        List<Located> objects = new ArrayList<>();
        read(text, source, new ObjectSink() {
            @Override
            public void accept(Located object) {
                objects.add(object);
            }

            @Override
            public Runnable mark() {
                int size = objects.size();
                return () -> objects.subList(size, objects.size()).clear();
            }
        });
        return objects;
    }

    /**
     * Takes the objects of a text one at a time, in order. Items met before their mapping's kind are handed
     * on as a list's; should the kind turn out not to end in {@code List} (or {@code items} come twice),
     * what was taken since {@link #mark} is undone and the mapping is handed on whole instead.
     */
    public interface ObjectSink {

        void accept(Located object);

        /** A point to come back to: running the answer forgets every object accepted since. */
        Runnable mark();
    }

    /**
     * Hands the objects of {@code text} to {@code sink} as they are read, one at a time: each document, and
     * each item of a {@code kind: ...List} (nested lists included, {@code items} before or after
     * {@code kind}), so a large dump is never held as one tree. Problems are reported as if the text were
     * read whole first: a template before any object, and a document that does not parse before a list in
     * it whose items are not a list.
     *
     * @param source what to call the content in errors, e.g. the file name
     */
    public static void read(String text, String source, ObjectSink sink) {
        refuseTemplates(text, source);
        try {
            new Reading(text, source, sink).run();
        } catch (SinkFailure e) {
            throw e.getCause();
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
    }

    private static JsonParser open(String text) throws IOException {
        return new StringSharingParser(new AliasRefusingParser(MAPPER.getFactory().createParser(text)));
    }

    /** One pass over a text: the parser, where it is, and a list problem waiting for the end of its document. */
    private static final class Reading {
        private final String text;
        private final String source;
        private final ObjectSink sink;
        private final JsonParser parser;
        /** A list whose items are not a list: reported when its document is read, as a parse error comes first. */
        private ClusterInputException misshapen;
        /** Whether the text has characters beyond 16 bits, which the parser counts as one and a String as two. */
        private Boolean supplementary;

        Reading(String text, String source, ObjectSink sink) throws IOException {
            this.text = text;
            this.source = source;
            this.sink = sink;
            this.parser = open(text);
        }

        void run() throws IOException {
            try (parser) {
                int document = 0;
                while (parser.nextToken() != null) {
                    document++;
                    if (parser.currentToken() != JsonToken.START_OBJECT) {
                        JsonNode node = MAPPER.readTree(parser);
                        if (node == null || node.isNull() || node.isMissingNode() || (node.isTextual() && node.asText().isEmpty())) {
                            continue;
                        }
                        throw new ClusterInputException(source + ": document " + document
                                + " is not a Kubernetes object (a mapping with apiVersion, kind and metadata)");
                    }
                    mapping(source + " (document " + document);
                    if (misshapen != null) {
                        throw misshapen;
                    }
                }
            }
        }

        /**
         * The mapping the parser is at: handed on as one object, or, for a list, item by item as they are
         * read; fields other than a list's items are small and read as trees. Items met before the kind
         * are handed on as a list's; should the kind turn out otherwise (or items come twice), they are
         * taken back and the mapping, already read, is read again whole from its text.
         */
        private void mapping(String where) throws IOException {
            JsonLocation start = parser.currentTokenLocation();
            ObjectNode object = MAPPER.createObjectNode();
            Runnable undo = null;
            boolean readAgain = false;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("items".equals(field) && undo == null && value == JsonToken.START_ARRAY
                        && (!object.has("kind") || isList(object))) {
                    undo = mark();
                    items(where);
                    continue;
                }
                readAgain |= "items".equals(field) && undo != null;
                object.set(field, MAPPER.readTree(parser));
            }
            JsonNode whole = object;
            if (undo != null) {
                if (!readAgain && isList(object)) {
                    return;
                }
                undo.run();
                whole = readAgain(start, parser.currentLocation());
            }
            try {
                flatten(whole, source, where, this::hand);
            } catch (ClusterInputException e) {
                if (misshapen == null) {
                    misshapen = e;
                }
            }
        }

        /** The items of a list, the parser at the array's start. */
        private void items(String where) throws IOException {
            int item = 0;
            for (JsonToken token = parser.nextToken(); token != null && token != JsonToken.END_ARRAY; token = parser.nextToken()) {
                item++;
                if (token == JsonToken.START_OBJECT) {
                    mapping(where + ", item " + item);
                } else {
                    flatten(MAPPER.readTree(parser), source, where + ", item " + item, this::hand);
                }
            }
        }

        /** A point to come back to: what the sink took since, and a list problem found since, are forgotten. */
        private Runnable mark() {
            Runnable sinkUndo = sink.mark();
            ClusterInputException misshapenThen = misshapen;
            return () -> {
                sinkUndo.run();
                misshapen = misshapenThen;
            };
        }

        /**
         * The mapping between two places of the text as one tree. It has just been read without error, so
         * reading it again alone cannot fail; its first line is indented as it was, so a block mapping
         * inside a list reads the same.
         */
        private JsonNode readAgain(JsonLocation start, JsonLocation end) throws IOException {
            String mapping = " ".repeat(Math.max(0, start.getColumnNr() - 1)) + text.substring(index(start), index(end));
            try (JsonParser alone = open(mapping)) {
                alone.nextToken();
                return MAPPER.readTree(alone);
            }
        }

        /** Where in the text a place is: the parser counts characters beyond 16 bits as one, a String as two. */
        private int index(JsonLocation location) {
            int codePoints = (int) location.getCharOffset();
            if (supplementary == null) {
                supplementary = text.codePoints().anyMatch(Character::isSupplementaryCodePoint);
            }
            return supplementary ? text.offsetByCodePoints(0, codePoints) : codePoints;
        }

        private void hand(Located object) {
            try {
                sink.accept(object);
            } catch (RuntimeException e) {
                throw new SinkFailure(e);
            }
        }
    }

    private static boolean isList(JsonNode node) {
        return node.path("kind").asText("").endsWith("List");
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
            requireUtf8(bytes, start);
            return new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8);
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

    /**
     * Checks that the bytes are UTF-8 without making text of them: ASCII at once, otherwise decoded a piece
     * at a time. The text is then made in one step, not through a buffer of twice the size.
     */
    private static void requireUtf8(byte[] bytes, int start) throws CharacterCodingException {
        boolean ascii = true;
        for (int i = start; i < bytes.length && ascii; i++) {
            ascii = bytes[i] >= 0;
        }
        if (ascii) {
            return;
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
        CharBuffer piece = CharBuffer.allocate(8192);
        CoderResult result;
        do {
            piece.clear();
            result = decoder.decode(in, piece, true);
            if (result.isError()) {
                result.throwException();
            }
        } while (result.isOverflow());
    }

    private static int firstMalformed(byte[] bytes, int start) {
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
        var out = CharBuffer.allocate(bytes.length + 1);
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

    private static void flatten(JsonNode node, String source, String where, Consumer<Located> into) {
        String kind = node.path("kind").asText("");
        if (isList(node) && node.has("items")) {
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
        into.accept(new Located(node, where + ")"));
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

    /** What an {@link ObjectSink} threw, passed through untouched rather than read as a parse error. */
    private static final class SinkFailure extends RuntimeException {
        SinkFailure(RuntimeException cause) {
            super(cause);
        }

        @Override
        public synchronized RuntimeException getCause() {
            return (RuntimeException) super.getCause();
        }
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

    /**
     * Gives one String for a short name or value met again. A dump repeats apiVersion, kind, provisioner,
     * keys and many values on every object, and the objects read are kept for the whole command. A fixed
     * number of slots, the last string wins a slot: it holds on to little of a large text, whatever it is.
     */
    private static final class StringSharingParser extends JsonParserDelegate {
        private static final int SLOTS = 4096;
        private static final int LONGEST = 64;
        private final String[] slots = new String[SLOTS];

        StringSharingParser(JsonParser delegate) {
            super(delegate);
        }

        @Override
        public String getText() throws IOException {
            String text = super.getText();
            return hasToken(JsonToken.VALUE_STRING) || hasToken(JsonToken.FIELD_NAME) ? shared(text) : text;
        }

        @Override
        public String currentName() throws IOException {
            return shared(super.currentName());
        }

        private String shared(String text) {
            if (text == null || text.length() > LONGEST) {
                return text;
            }
            int hash = text.hashCode();
            int slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
            String known = slots[slot];
            if (text.equals(known)) {
                return known;
            }
            slots[slot] = text;
            return text;
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
