package dev.bootsource.cli;

import picocli.CommandLine.Help.Ansi;

import java.util.HashMap;
import java.util.Map;

/**
 * picocli markup, {@code @|bold text|@}, with each style's escape codes worked out once: {@link
 * Ansi#string} parses the markup and builds a colour scheme on every call, which a report of thousands of
 * lines feels. Gives exactly what {@code ansi.string} gives.
 */
final class Styles {

    /** Stands for the text when a style's codes are worked out; never in a report. */
    private static final String TEXT = "\u0000";

    private final Ansi ansi;
    private final Map<String, String[]> codes = new HashMap<>();

    Styles(Ansi ansi) {
        this.ansi = ansi;
    }

    /** {@code ansi.string("@|" + style + " " + text + "|@")}. */
    String apply(String style, String text) {
        if (text.isEmpty() || text.contains(TEXT) || text.contains("@|") || text.contains("|@")) {
            return ansi.string("@|" + style + " " + text + "|@");
        }
        String[] around = codes.computeIfAbsent(style, this::around);
        return around[0] + text + around[1];
    }

    /** What the style puts before and after a text. */
    private String[] around(String style) {
        String sample = ansi.string("@|" + style + " " + TEXT + "|@");
        int at = sample.indexOf(TEXT);
        return new String[] {sample.substring(0, at), sample.substring(at + TEXT.length())};
    }
}
