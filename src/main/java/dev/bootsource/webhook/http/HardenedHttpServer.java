package dev.bootsource.webhook.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * An HTTP/1.1 server (with TLS, or plain) that no client can stall: sockets are non-blocking (Netty),
 * so a client that is slow in the TLS handshake, the headers or the body holds a connection slot and
 * a few KB, never a thread; each phase has its own deadline; connections past a cap are reset at once;
 * request bodies count against a memory budget; and answers are computed on a bounded pool of workers,
 * whose saturation is answered 503 at once instead of queuing without end.
 *
 * <p>One connection handles one request at a time: reading pauses while a request is answered, and
 * a pipelined request closes the connection after the current answer.
 */
public final class HardenedHttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HardenedHttpServer.class);
    private static final int MAX_INITIAL_LINE = 4096;
    private static final int MAX_HEADERS = 8192;
    private static final int MAX_CHUNK = 16384;
    /** TLS handshakes in progress per event loop; more connections wait for a turn (see {@link HandshakeGate}). */
    private static final int HANDSHAKES_PER_LOOP = 32;
    /** How long a connection may wait for its turn to handshake before it is reset. */
    private static final java.time.Duration HANDSHAKE_TURN = java.time.Duration.ofSeconds(30);

    private final String name;
    private final Channel listener;
    private final EventLoopGroup acceptor;
    private final EventLoopGroup io;
    private final ThreadPoolExecutor workers;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong refused = new AtomicLong();

    /**
     * One small buffer pool for every server in the process: admission reviews and health checks take a few
     * KiB, so one arena of 1 MiB chunks serves them (larger bodies are allocated outside the pool). Netty's
     * default, two arenas per core of 4 MiB chunks each, held about 15 MiB of the operator's resident memory.
     */
    private static final ByteBufAllocator BUFFERS = new PooledByteBufAllocator(true, 1, 1, 8192, 7,
            PooledByteBufAllocator.defaultSmallCacheSize(), PooledByteBufAllocator.defaultNormalCacheSize(),
            PooledByteBufAllocator.defaultUseCacheForAllThreads());

    private HardenedHttpServer(String name, Channel listener, EventLoopGroup acceptor, EventLoopGroup io, ThreadPoolExecutor workers) {
        this.name = name;
        this.listener = listener;
        this.acceptor = acceptor;
        this.io = io;
        this.workers = workers;
    }

    /**
     * Binds and starts serving.
     *
     * @param name     for thread names and logs, e.g. {@code webhook}
     * @param tls      a new TLS handler per connection, or empty for plain HTTP
     * @throws UncheckedIOException when the address cannot be bound
     */
    public static HardenedHttpServer start(String name, InetSocketAddress address, Optional<Supplier<SslContext>> tls,
                                           ServerLimits limits, Endpoint endpoint) {
        EventLoopGroup acceptor = new NioEventLoopGroup(1, threads(name + "-accept"));
        EventLoopGroup io = new NioEventLoopGroup(Math.max(1, Runtime.getRuntime().availableProcessors()), threads(name + "-io"));
        ThreadPoolExecutor workers = new ThreadPoolExecutor(limits.workers(), limits.workers(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(limits.queuedRequests()), threads(name + "-worker"), new ThreadPoolExecutor.AbortPolicy());
        BodyMemory bodyMemory = new BodyMemory(limits.bodyMemory());
        ConnectionCount connections = new ConnectionCount(limits);
        Map<io.netty.channel.EventLoop, HandshakeGate> gates = new ConcurrentHashMap<>();
        HardenedHttpServer[] server = new HardenedHttpServer[1];
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptor, io)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.ALLOCATOR, BUFFERS)
                .childOption(ChannelOption.ALLOCATOR, BUFFERS)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        InetAddress client = channel.remoteAddress().getAddress();
                        if (!connections.tryOpen(client)) {
                            server[0].refuse(channel);
                            return;
                        }
                        server[0].open.incrementAndGet();
                        channel.closeFuture().addListener(closed -> {
                            connections.closed(client);
                            server[0].open.decrementAndGet();
                        });
                        ChannelPipeline pipeline = channel.pipeline();
                        Connection connection = new Connection(limits, endpoint, workers, bodyMemory, tls.isPresent());
                        pipeline.addLast("arrival", connection.arrivalWatcher());
                        pipeline.addLast("http", new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADERS, MAX_CHUNK));
                        pipeline.addLast("connection", connection);
                        if (tls.isPresent()) {
                            // Nothing is read until the handshake's turn comes; then the TLS handler goes first.
                            channel.config().setAutoRead(false);
                            HandshakeGate gate = gates.computeIfAbsent(channel.eventLoop(),
                                    loop -> new HandshakeGate(HANDSHAKES_PER_LOOP, HANDSHAKE_TURN));
                            gate.admit(channel, () -> {
                                SslHandler handler = tls.get().get().newHandler(channel.alloc());
                                handler.setHandshakeTimeoutMillis(limits.handshake().toMillis());
                                handler.setCloseNotifyFlushTimeoutMillis(1000);
                                handler.handshakeFuture().addListener(done -> gate.done());
                                pipeline.addFirst("tls", handler);
                                channel.config().setAutoRead(true);
                            });
                        }
                    }
                });
        Channel listener;
        try {
            listener = bootstrap.bind(address).syncUninterruptibly().channel();
        } catch (Exception e) {
            acceptor.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            io.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            workers.shutdownNow();
            throw new UncheckedIOException("cannot listen on " + describe(address) + ": " + e.getMessage(),
                    e instanceof java.io.IOException io2 ? io2 : new java.io.IOException(e));
        }
        server[0] = new HardenedHttpServer(name, listener, acceptor, io, workers);
        return server[0];
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    public int port() {
        return address().getPort();
    }

    /** Connections open now. */
    public int openConnections() {
        return open.get();
    }

    /** Connections reset at once since the start, because of the connection caps. */
    public long refusedConnections() {
        return refused.get();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        listener.close().syncUninterruptibly();
        acceptor.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        io.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownNow();
    }

    static String describe(InetSocketAddress address) {
        return (address.getAddress() == null || address.getAddress().isAnyLocalAddress() ? "all interfaces" : address.getAddress().getHostAddress())
                + ", port " + address.getPort();
    }

    /** Resets the connection (RST, no TLS work), logging at most one warning per ten seconds. */
    private void refuse(SocketChannel channel) {
        channel.config().setOption(ChannelOption.SO_LINGER, 0);
        channel.close();
        long count = refused.incrementAndGet();
        if (RefusalLog.due()) {
            LOG.atWarn().addKeyValue("server", name).addKeyValue("refused", count)
                    .log("refusing new connections: the connection cap is reached (" + count + " refused so far)");
        }
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Rate limit for the refusal warning. */
    private static final class RefusalLog {
        private static final AtomicLong NEXT = new AtomicLong();

        static boolean due() {
            long now = System.nanoTime();
            long next = NEXT.get();
            return now - next >= 0 && NEXT.compareAndSet(next, now + TimeUnit.SECONDS.toNanos(10));
        }
    }

    /** Open connections, in all and per client address. */
    private static final class ConnectionCount {
        private final ServerLimits limits;
        private final AtomicInteger all = new AtomicInteger();
        private final Map<InetAddress, AtomicInteger> perClient = new ConcurrentHashMap<>();

        ConnectionCount(ServerLimits limits) {
            this.limits = limits;
        }

        boolean tryOpen(InetAddress client) {
            if (all.incrementAndGet() > limits.maxConnections()) {
                all.decrementAndGet();
                return false;
            }
            boolean[] admitted = {false};
            perClient.compute(client, (address, count) -> {
                AtomicInteger current = count == null ? new AtomicInteger() : count;
                admitted[0] = current.get() < limits.maxConnectionsPerClient();
                if (admitted[0]) {
                    current.incrementAndGet();
                }
                return current.get() == 0 ? null : current;
            });
            if (!admitted[0]) {
                all.decrementAndGet();
            }
            return admitted[0];
        }

        void closed(InetAddress client) {
            all.decrementAndGet();
            perClient.computeIfPresent(client, (address, count) -> count.decrementAndGet() == 0 ? null : count);
        }
    }
}
