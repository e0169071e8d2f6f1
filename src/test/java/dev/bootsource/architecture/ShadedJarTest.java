package dev.bootsource.architecture;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The jar leaves out fabric8 model modules nothing loads (the shade plugin's artifactSet excludes in
 * pom.xml). A module that a source under src/main names a class of is used: left out, that code fails
 * with a NoClassDefFoundError in the jar while every test, on the full classpath, passes.
 */
class ShadedJarTest {

    private static final Path SOURCES = Path.of("src/main/java");
    private static final Pattern EXCLUDED = Pattern.compile("<exclude>io\\.fabric8:([\\w-]+)</exclude>");
    private static final Pattern MODEL_CLASS = Pattern.compile("io\\.fabric8\\.kubernetes\\.api\\.model\\.[\\w.]*[A-Z]\\w*");

    @Test
    void noModelModuleTheSourcesUseIsLeftOutOfTheJar() throws IOException {
        Set<String> excluded = new TreeSet<>();
        Matcher exclude = EXCLUDED.matcher(Files.readString(Path.of("pom.xml")));
        while (exclude.find()) {
            excluded.add(exclude.group(1));
        }
        TreeMap<String, String> used = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path source : files.filter(file -> file.toString().endsWith(".java")).toList()) {
                Matcher name = MODEL_CLASS.matcher(Files.readString(source));
                while (name.find()) {
                    String className = name.group();
                    artifact(className).ifPresent(artifact -> used.merge(artifact, className + " in " + SOURCES.relativize(source),
                            (first, next) -> first));
                }
            }
        }

        assertThat(excluded).as("the pom still names model modules to leave out").isNotEmpty();
        assertThat(used).as("model modules the sources use").containsKey("kubernetes-model-core");
        assertThat(used.keySet().stream().filter(excluded::contains).collect(Collectors.toMap(artifact -> artifact, used::get)))
                .as("left out of the jar but used").isEmpty();
    }

    /** The artifact (jar name without its version) that holds a class, or its outer class, on the test classpath. */
    private static Optional<String> artifact(String className) {
        String candidate = className;
        while (candidate.contains(".")) {
            try {
                CodeSource source = Class.forName(candidate, false, ShadedJarTest.class.getClassLoader())
                        .getProtectionDomain().getCodeSource();
                String jar = Path.of(source.getLocation().toURI()).getFileName().toString();
                return Optional.of(jar.replaceFirst("-\\d[^-]*(-[A-Za-z]\\w*)?\\.jar$", ""));
            } catch (ClassNotFoundException e) {
                candidate = candidate.substring(0, candidate.lastIndexOf('.'));
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        return Optional.empty();
    }
}
