package dev.bootsource.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * BootSource's durable note that it deleted a golden snapshot of a DataImportCron so CDI re-imports it,
 * kept as JSON in the cron's {@link Keys#RECREATION_RECORD} annotation. It lives on the cron, so it
 * survives restarts and leader changes, and {@code kubectl get dataimportcrons -o yaml} shows it to
 * {@code plan}.
 *
 * @param snapshot  the deleted snapshot's name
 * @param uid       the deleted snapshot's uid
 * @param fromClass the class it had ("" for the default)
 * @param toClass   the class the re-import was expected to land on
 * @param deletedAt when it was deleted (RFC 3339), for people
 */
public record RecreationRecord(String snapshot, String uid, String fromClass, String toClass, String deletedAt) {

    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** @throws IllegalArgumentException when the text is not a record with a snapshot uid */
    public static RecreationRecord parse(String text) {
        RecreationRecord record;
        try {
            record = JSON.readValue(text, RecreationRecord.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a JSON recreation record: " + e.getOriginalMessage());
        }
        if (record == null || record.uid() == null || record.uid().isBlank()) {
            throw new IllegalArgumentException("the recreation record names no snapshot uid");
        }
        return record;
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a record of strings always serialises", e);
        }
    }
}
