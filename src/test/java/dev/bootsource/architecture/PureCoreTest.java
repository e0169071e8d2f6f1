package dev.bootsource.architecture;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The core stays pure: `policy/`, `model/` and `capabilities/` decide from plain values. None of their
 * sources may use a Kubernetes client or informer, the network, files, or the clock; the shell around
 * them (cli/, operator/, webhook/, cluster/) does all of that.
 */
class PureCoreTest {

    private static final Path SOURCES = Path.of("src/main/java/dev/bootsource");
    private static final List<String> CORE = List.of("policy", "model", "capabilities");

    /** What the core must not touch, and why it would be wrong there. */
    private static final List<Forbidden> FORBIDDEN = List.of(
            new Forbidden(Pattern.compile("import io\\.fabric8\\.kubernetes\\.client\\.(?!CustomResource;|utils\\.)"),
                    "a Kubernetes client (models may extend CustomResource)"),
            new Forbidden(Pattern.compile("informers"), "an informer"),
            new Forbidden(Pattern.compile("import java\\.net\\."), "the network"),
            new Forbidden(Pattern.compile("import java\\.nio\\.file\\.|new java\\.io\\.File\\(|new File\\("), "files"),
            new Forbidden(Pattern.compile("java\\.time\\.Clock|\\bClock\\b|Instant\\.now\\(|LocalDateTime\\.now\\(|"
                    + "ZonedDateTime\\.now\\(|System\\.currentTimeMillis\\(|System\\.nanoTime\\("), "the clock"));

    record Forbidden(Pattern pattern, String what) {
    }

    static Stream<Path> coreSources() throws IOException {
        return CORE.stream().flatMap(folder -> {
            try (Stream<Path> files = Files.walk(SOURCES.resolve(folder))) {
                return files.filter(file -> file.toString().endsWith(".java")).toList().stream();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @ParameterizedTest(name = "{0} is pure")
    @MethodSource("coreSources")
    void coreSourcesUseNoClientNetworkFilesOrClock(Path source) throws IOException {
        List<String> lines = Files.readAllLines(source);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.startsWith("*") || line.startsWith("//") || line.startsWith("/*")) {
                continue;
            }
            for (Forbidden forbidden : FORBIDDEN) {
                assertThat(forbidden.pattern().matcher(line).find())
                        .as("%s:%d uses %s: %s", source, i + 1, forbidden.what(), line)
                        .isFalse();
            }
        }
    }

    @ParameterizedTest(name = "the core has sources in {0}")
    @MethodSource("folders")
    void everyCoreFolderHasSources(String folder) {
        assertThat(Files.isDirectory(SOURCES.resolve(folder))).isTrue();
    }

    static Stream<String> folders() {
        return CORE.stream();
    }
}
