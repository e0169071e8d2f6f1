package dev.bootsource.cli;

import dev.bootsource.errors.InvalidInputException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people type them ({@code 90s}, {@code 5m}, {@code 1h30m}, {@code 500ms}, {@code PT5M}) and as they read them. */
public final class Durations {

    private static final Pattern PART = Pattern.compile("(\\d+)(ms|h|m|s)");

    private Durations() {
    }

    /** @throws IllegalArgumentException when the text is not a positive duration */
    public static Duration parse(String text) {
        String value = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        Duration duration;
        if (value.startsWith("pt")) {
            try {
                duration = Duration.parse(value.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw invalid(text);
            }
        } else if (value.matches("\\d+")) {
            duration = Duration.ofSeconds(Long.parseLong(value));
        } else {
            Matcher matcher = PART.matcher(value);
            duration = Duration.ZERO;
            int end = 0;
            while (matcher.find() && matcher.start() == end) {
                long amount = Long.parseLong(matcher.group(1));
                duration = duration.plus(switch (matcher.group(2)) {
                    case "h" -> Duration.ofHours(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    default -> Duration.ofMillis(amount);
                });
                end = matcher.end();
            }
            if (end == 0 || end != value.length()) {
                throw invalid(text);
            }
        }
        if (duration.isZero() || duration.isNegative()) {
            throw invalid(text);
        }
        return duration;
    }

    /** {@code 1h2m3s}, {@code 4m5s}, {@code 6.7s}, {@code 250ms}. */
    public static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis < 1000) {
            return millis + "ms";
        }
        long seconds = duration.toSeconds();
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
        }
        long hours = seconds / 3600;
        long minutes = (seconds % 3600) / 60;
        long rest = seconds % 60;
        return (hours > 0 ? hours + "h" : "") + (hours > 0 || minutes > 0 ? minutes + "m" : "") + rest + "s";
    }

    /** For picocli options of type {@link Duration}. */
    static final class Converter implements picocli.CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String text) {
            try {
                return parse(text);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    private static IllegalArgumentException invalid(String text) {
        return new InvalidInputException("'" + text + "' is not a duration; use e.g. 90s, 5m, 1h30m or PT5M");
    }
}
