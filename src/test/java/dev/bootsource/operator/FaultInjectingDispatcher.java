package dev.bootsource.operator;

import dev.bootsource.deploy.ApiCalls;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Stands in front of the CRUD mock server's dispatcher: records every request (method, path, user agent,
 * body) so tests can count what the operator sent, and injects faults that a real API server produces:
 * refused or conflicting requests, watches the server drops, and watches that expire (410 Gone).
 */
public final class FaultInjectingDispatcher extends Dispatcher {

    /** One request as the API server received it. */
    public record Request(String method, String path, String userAgent, String body) {

        public boolean isWatch() {
            return path.contains("watch=true");
        }

        public boolean isWrite() {
            return !"GET".equals(method);
        }

        /** The resource collection the path names, e.g. {@code storageprofiles}. */
        public boolean concerns(String plural) {
            String withoutQuery = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
            return withoutQuery.endsWith("/" + plural) || withoutQuery.contains("/" + plural + "/");
        }
    }

    private record Fault(Predicate<Request> matches, AtomicInteger remaining, Response response) {
        interface Response {
            MockResponse create();
        }
    }

    private final Dispatcher crud;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<Fault> faults = new CopyOnWriteArrayList<>();
    private final Set<WebSocket> openWatches = ConcurrentHashMap.newKeySet();

    FaultInjectingDispatcher(Dispatcher crud) {
        this.crud = crud;
    }

    @Override
    public MockResponse dispatch(RecordedRequest recorded) {
        byte[] body = recorded.getBody() == null ? new byte[0] : recorded.getBody().getBytes();
        Request request = new Request(recorded.getMethod(), recorded.getPath(),
                String.valueOf(recorded.getHeader("User-Agent")), new String(body, StandardCharsets.UTF_8));
        requests.add(request);
        ApiCalls.record(request.method(), request.path(), request.userAgent());
        for (Fault fault : faults) {
            if (fault.matches().test(request) && fault.remaining().getAndDecrement() > 0) {
                return fault.response().create();
            }
        }
        MockResponse response = crud.dispatch(recorded);
        if (response.getWebSocketListener() != null) {
            response.withWebSocketUpgrade(new TrackedWatch(response.getWebSocketListener()));
        }
        return response;
    }

    /** The next {@code times} requests that match get this status and a Kubernetes Status body instead. */
    void fail(Predicate<Request> matches, int times, int code) {
        faults.add(new Fault(matches, new AtomicInteger(times), () -> status(code)));
    }

    /** Every request that matches, from now on, gets this status. */
    void failAlways(Predicate<Request> matches, int code) {
        fail(matches, Integer.MAX_VALUE, code);
    }

    /** The server closes every open watch, as an API server does on restart or a load balancer on idle. */
    void dropWatches() {
        List<WebSocket> open = new ArrayList<>(openWatches);
        openWatches.clear();
        open.forEach(socket -> socket.close(1000, "closed by the server"));
    }

    /**
     * The next watch of the collection is answered with a 410 Gone error event, as an API server does when
     * the resourceVersion to watch from is too old; the client must list again.
     */
    void expireNextWatch(String plural) {
        faults.add(new Fault(request -> request.isWatch() && request.concerns(plural), new AtomicInteger(1),
                () -> new MockResponse().withWebSocketUpgrade(new WebSocketListener() {
                    @Override
                    public void onOpen(WebSocket webSocket, Response response) {
                        webSocket.send("{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\","
                                + "\"status\":\"Failure\",\"reason\":\"Expired\",\"code\":410,"
                                + "\"message\":\"too old resource version\"}}");
                        webSocket.close(1000, "expired");
                    }
                })));
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    void clearRequests() {
        requests.clear();
    }

    private static MockResponse status(int code) {
        return new MockResponse().setResponseCode(code).setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\","
                + "\"status\":\"Failure\",\"code\":" + code + ",\"reason\":\"Injected\",\"message\":\"injected by the test\"}");
    }

    /** Remembers an open watch so the test can drop it. */
    private final class TrackedWatch extends WebSocketListener {
        private final WebSocketListener delegate;

        TrackedWatch(WebSocketListener delegate) {
            this.delegate = delegate;
        }

        @Override
        public void onBeforeAccept(WebSocket webSocket, Response response) {
            delegate.onBeforeAccept(webSocket, response);
        }

        @Override
        public void onOpen(WebSocket webSocket, Response response) {
            openWatches.add(webSocket);
            delegate.onOpen(webSocket, response);
        }

        @Override
        public void onMessage(WebSocket webSocket, String text) {
            delegate.onMessage(webSocket, text);
        }

        @Override
        public void onMessage(WebSocket webSocket, byte[] bytes) {
            delegate.onMessage(webSocket, bytes);
        }

        @Override
        public void onClosing(WebSocket webSocket, int code, String reason) {
            delegate.onClosing(webSocket, code, reason);
        }

        @Override
        public void onClosed(WebSocket webSocket, int code, String reason) {
            openWatches.remove(webSocket);
            delegate.onClosed(webSocket, code, reason);
        }

        @Override
        public void onFailure(WebSocket webSocket, Throwable error, Response response) {
            openWatches.remove(webSocket);
            delegate.onFailure(webSocket, error, response);
        }
    }
}
