package dev.bootsource.webhook.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.util.concurrent.ScheduledFuture;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * TLS handshakes in progress on one event loop, at most a fixed number; connections past it wait,
 * unread, for a turn. A handshake costs the server a millisecond or two of CPU; a thousand connections
 * opened at once would otherwise all start theirs together, finish none within the handshake deadline
 * on a busy machine, and be cut off, again and again as clients reconnect. In turn, each admitted
 * handshake completes quickly and the waiting line moves. Confined to its event loop: no locks.
 */
final class HandshakeGate {

    private final int limit;
    private final Duration maxWait;
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    private int inProgress;

    private record Waiting(Channel channel, Runnable start, ScheduledFuture<?> deadline) {
    }

    HandshakeGate(int limit, Duration maxWait) {
        this.limit = limit;
        this.maxWait = maxWait;
    }

    /** Runs {@code start} (which begins the handshake) now or when a turn comes; then {@link #done} once. */
    void admit(Channel channel, Runnable start) {
        if (inProgress < limit) {
            inProgress++;
            start.run();
            return;
        }
        ScheduledFuture<?> deadline = channel.eventLoop().schedule(() -> {
            channel.config().setOption(ChannelOption.SO_LINGER, 0);
            channel.close();
        }, maxWait.toNanos(), TimeUnit.NANOSECONDS);
        waiting.add(new Waiting(channel, start, deadline));
    }

    /** A handshake ended (completed, failed or cut off): the next waiting connection starts its own. */
    void done() {
        inProgress--;
        while (inProgress < limit && !waiting.isEmpty()) {
            Waiting next = waiting.poll();
            next.deadline().cancel(false);
            if (next.channel().isActive()) {
                inProgress++;
                next.start().run();
            }
        }
    }
}
