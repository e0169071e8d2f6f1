package dev.bootsource.webhook.http;

import java.time.Duration;

/**
 * What one client, and all of them together, may hold of a {@link HardenedHttpServer}.
 *
 * @param maxConnections          open connections, all clients together; past it a new connection is
 *                                reset at once, before any TLS work
 * @param maxConnectionsPerClient open connections from one IP address
 * @param handshake               from accepting a connection to a completed TLS handshake
 * @param requestHead             from a request's first byte (or the handshake's end) to its last header
 * @param requestBody             from the last header to the body's last byte
 * @param keepAlive               how long a connection may wait, idle, for its next request
 * @param maxBodyBytes            the largest body of one request
 * @param bodyMemory              bytes of request bodies held in memory by all connections together;
 *                                the request that would go over is answered 503 and its connection closed
 * @param workers                 threads that answer requests
 * @param queuedRequests          complete requests that may wait for a worker; more are answered 503
 */
public record ServerLimits(int maxConnections, int maxConnectionsPerClient, Duration handshake, Duration requestHead,
                           Duration requestBody, Duration keepAlive, int maxBodyBytes, long bodyMemory, int workers,
                           int queuedRequests) {

    public ServerLimits {
        if (maxConnections < 1 || maxConnectionsPerClient < 1 || workers < 1 || queuedRequests < 1 || maxBodyBytes < 0) {
            throw new IllegalArgumentException("server limits must be positive: " + this);
        }
        if (bodyMemory < maxBodyBytes) {
            throw new IllegalArgumentException("the body memory budget " + bodyMemory + " must hold one body of " + maxBodyBytes);
        }
    }

    public ServerLimits withTimeouts(Duration handshake, Duration requestHead, Duration requestBody, Duration keepAlive) {
        return new ServerLimits(maxConnections, maxConnectionsPerClient, handshake, requestHead, requestBody, keepAlive,
                maxBodyBytes, bodyMemory, workers, queuedRequests);
    }

    public ServerLimits withConnections(int max, int perClient) {
        return new ServerLimits(max, perClient, handshake, requestHead, requestBody, keepAlive, maxBodyBytes, bodyMemory,
                workers, queuedRequests);
    }

    public ServerLimits withWorkers(int threads, int queued) {
        return new ServerLimits(maxConnections, maxConnectionsPerClient, handshake, requestHead, requestBody, keepAlive,
                maxBodyBytes, bodyMemory, threads, queued);
    }

    public ServerLimits withBodies(int maxBody, long memory) {
        return new ServerLimits(maxConnections, maxConnectionsPerClient, handshake, requestHead, requestBody, keepAlive,
                maxBody, memory, workers, queuedRequests);
    }
}
