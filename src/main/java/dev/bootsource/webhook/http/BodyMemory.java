package dev.bootsource.webhook.http;

import java.util.concurrent.atomic.AtomicLong;

/** Bytes of request bodies held by all connections of a server, against a fixed budget. */
final class BodyMemory {

    private final long budget;
    private final AtomicLong held = new AtomicLong();

    BodyMemory(long budget) {
        this.budget = budget;
    }

    /** Takes {@code bytes} from the budget, or nothing and false when they do not fit. */
    boolean reserve(long bytes) {
        while (true) {
            long now = held.get();
            if (now + bytes > budget) {
                return false;
            }
            if (held.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    void release(long bytes) {
        held.addAndGet(-bytes);
    }

    long held() {
        return held.get();
    }
}
