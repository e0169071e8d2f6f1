package dev.bootsource.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Gives the CRUD mock server the JSON merge patch semantics of a real API server (RFC 7386): a key patched
 * to {@code null} is removed. The mock's own merge would store the null instead. A merge patch is applied
 * here to the stored object and sent on as an update, so resourceVersion checks (409) and watch events
 * work as they do for any update.
 */
final class MergePatchDispatcher extends Dispatcher {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Dispatcher crud;

    MergePatchDispatcher(Dispatcher crud) {
        this.crud = crud;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String contentType = request.getHeader("Content-Type");
        if (!"PATCH".equals(request.getMethod()) || contentType == null || !contentType.contains("merge-patch")) {
            return crud.dispatch(request);
        }
        synchronized (this) {
            MockResponse current = crud.dispatch(new RecordedRequest(request.getHttpVersion(), HttpMethod.GET,
                    request.getPath(), request.getHeaders(), new Buffer()));
            if (current.code() != 200) {
                return current;
            }
            try {
                JsonNode merged = merge(JSON.readTree(current.getBody().getBytes()), JSON.readTree(request.getBody().getBytes()));
                return crud.dispatch(new RecordedRequest(request.getHttpVersion(), HttpMethod.PUT, request.getPath(),
                        request.getHeaders(), new Buffer(JSON.writeValueAsString(merged).getBytes(StandardCharsets.UTF_8))));
            } catch (IOException e) {
                return new MockResponse().setResponseCode(422).setBody("{\"kind\":\"Status\",\"code\":422}");
            }
        }
    }

    /** RFC 7386: objects merge key by key, null removes, anything else replaces. */
    static JsonNode merge(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch;
        }
        ObjectNode result = target != null && target.isObject() ? (ObjectNode) target.deepCopy() : JSON.createObjectNode();
        List<String> names = new ArrayList<>();
        patch.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            JsonNode value = patch.get(name);
            if (value.isNull()) {
                result.remove(name);
            } else {
                result.set(name, merge(result.get(name), value));
            }
        }
        return result;
    }
}
