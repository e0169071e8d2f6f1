package dev.bootsource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Test fixtures on the test classpath (src/test/resources), read as text. */
public final class TestResources {

    private TestResources() {
    }

    /** @param path a classpath path such as {@code /verify/gcp-ready.yaml} (a leading slash is optional) */
    public static String text(String path) {
        String absolute = path.startsWith("/") ? path : "/" + path;
        try (InputStream in = TestResources.class.getResourceAsStream(absolute)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + absolute);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
