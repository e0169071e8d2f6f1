package dev.bootsource.webhook;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;

import static dev.bootsource.policy.admission.AdmissionFixtures.POLICY;
import static dev.bootsource.policy.admission.AdmissionFixtures.bytes;
import static dev.bootsource.policy.admission.AdmissionFixtures.dataVolumeReview;
import static dev.bootsource.policy.admission.AdmissionFixtures.gcpCluster;
import static dev.bootsource.policy.admission.AdmissionFixtures.object;
import static org.assertj.core.api.Assertions.assertThat;

/** Whatever a request holds, it cannot forge a log line. */
class LogTextTest {

    @Test
    void controlCharactersAndLineSeparatorsAreEscaped() {
        assertThat(LogText.escape("a\nb\r\nc\td\u0000e\u2028f\u001b[31m")).isEqualTo("a\\nb\\r\\nc\\td\\u0000e\\u2028f\\u001b[31m");
        assertThat(LogText.escape("back\\slash \"quoted\"")).isEqualTo("back\\\\slash \"quoted\"");
        assertThat(LogText.value("x\" forged=\"y")).isEqualTo("x\\\" forged=\\\"y");
        assertThat(LogText.escape("plain")).isEqualTo("plain");
    }

    @Test
    void aStorageClassNameWithANewlineStaysOnOneLogLine() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(MutateEndpoint.class);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        Level before = logger.getLevel();
        logger.setLevel(Level.INFO);
        logger.setAdditive(false);
        log.start();
        logger.addAppender(log);
        try (WebhookServer server = WebhookServer.start(WebhookServer.Settings.selfSigned(0), gcpCluster(), POLICY)) {
            byte[] forged = bytes(dataVolumeReview(review -> object(review).withObject("/spec/storage")
                    .put("storageClassName", "fast\ntime=2025-01-01T00:00:00Z level=INFO msg=\"forged\"")));
            RawClient.Answer answer = RawClient.post(WebhookServerTest.trustingSelfSigned(server), server.port(), "/mutate",
                    forged, Duration.ofSeconds(5));
            assertThat(answer.status()).isEqualTo(200);
        } finally {
            logger.detachAppender(log);
            logger.setLevel(before);
            logger.setAdditive(true);
        }

        assertThat(log.list).isNotEmpty();
        for (ILoggingEvent event : log.list) {
            assertThat(event.getFormattedMessage()).doesNotContain("\n");
            event.getKeyValuePairs().forEach(pair -> assertThat(String.valueOf(pair.value)).doesNotContain("\n"));
        }
        assertThat(log.list).anyMatch(event -> event.getFormattedMessage().contains("fast\\ntime="));
    }
}
