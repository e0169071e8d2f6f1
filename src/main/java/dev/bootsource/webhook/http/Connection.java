package dev.bootsource.webhook.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One connection's request cycle and its deadlines: TLS handshake (the TLS handler's own timeout),
 * then wait for a request (keep-alive; after the handshake, the head deadline), its head, its body,
 * the answer on a worker, the response written, and again. Runs on the connection's event loop only.
 */
final class Connection extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);
    private static final int FIRST_BODY_CAPACITY = 16 * 1024;
    private static final Duration LINGER = Duration.ofSeconds(1);

    private enum Phase { HANDSHAKE, WAITING, HEAD, BODY, ANSWERING, CLOSING }

    private final ServerLimits limits;
    private final Endpoint endpoint;
    private final ExecutorService workers;
    private final BodyMemory bodyMemory;
    private Phase phase;
    private ScheduledFuture<?> deadline;
    private ChannelHandlerContext context;
    private Endpoint.Head head;
    private boolean keepAlive;
    private boolean headRequest;
    private byte[] body;
    private int bodyLength;
    private long bodyReserved;

    Connection(ServerLimits limits, Endpoint endpoint, ExecutorService workers, BodyMemory bodyMemory, boolean tls) {
        this.limits = limits;
        this.endpoint = endpoint;
        this.workers = workers;
        this.bodyMemory = bodyMemory;
        this.phase = tls ? Phase.HANDSHAKE : Phase.WAITING;
    }

    /** Sits below the HTTP decoder: a request's first byte starts its head deadline. */
    ChannelHandler arrivalWatcher() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (phase == Phase.WAITING && msg instanceof ByteBuf bytes && bytes.isReadable()) {
                    phase = Phase.HEAD;
                    arm(limits.requestHead(), "request headers");
                }
                ctx.fireChannelRead(msg);
            }
        };
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        context = ctx;
        if (phase == Phase.WAITING && ctx.channel().isActive()) {
            arm(limits.requestHead(), "a first request");
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (phase == Phase.WAITING) {
            arm(limits.requestHead(), "a first request");
        }
        ctx.fireChannelActive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof SslHandshakeCompletionEvent completion) {
            if (completion.isSuccess()) {
                phase = Phase.WAITING;
                // A client that completes the handshake sends its request right away.
                arm(limits.requestHead(), "a first request");
            } else {
                LOG.atDebug().addKeyValue("client", client()).log("TLS handshake failed: " + completion.cause());
                ctx.close();
            }
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (phase == Phase.ANSWERING || phase == Phase.CLOSING) {
                if (msg instanceof HttpRequest) {
                    keepAlive = false; // pipelining: answer the current request, then close
                }
                return;
            }
            if (msg instanceof HttpRequest request) {
                started(request);
            }
            if (msg instanceof HttpContent content && phase == Phase.BODY) {
                received(content);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        phase = Phase.CLOSING;
        cancelDeadline();
        releaseBody();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.atDebug().addKeyValue("client", client()).log("connection closed after an error: " + cause);
        ctx.close();
    }

    private void started(HttpRequest request) {
        if (request.decoderResult().isFailure()) {
            Throwable cause = request.decoderResult().cause();
            refuse(cause instanceof TooLongFrameException
                    ? Endpoint.Response.text(431, "the request line or headers are too long")
                    : Endpoint.Response.text(400, "not an HTTP/1.1 request"));
            return;
        }
        Map<String, String> headers = new HashMap<>();
        request.headers().forEach(header -> headers.putIfAbsent(header.getKey().toLowerCase(Locale.ROOT), header.getValue()));
        String uri = request.uri();
        int query = uri.indexOf('?');
        head = new Endpoint.Head(request.method().name(), query < 0 ? uri : uri.substring(0, query), headers, client());
        keepAlive = HttpUtil.isKeepAlive(request);
        headRequest = HttpMethod.HEAD.equals(request.method());
        phase = Phase.BODY;
        arm(limits.requestBody(), "the request body");
        Optional<Endpoint.Response> refusal = endpoint.refuseBeforeBody(head);
        if (refusal.isPresent()) {
            refuse(refusal.get());
            return;
        }
        long declared = HttpUtil.getContentLength(request, -1L);
        if (declared > limits.maxBodyBytes()) {
            refuse(endpoint.tooLarge(limits.maxBodyBytes()));
            return;
        }
        if (HttpUtil.is100ContinueExpected(request)) {
            context.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        }
        body = new byte[0];
        bodyLength = 0;
    }

    private void received(HttpContent content) {
        ByteBuf bytes = content.content();
        int arriving = bytes.readableBytes();
        if (arriving > 0) {
            if ((long) bodyLength + arriving > limits.maxBodyBytes()) {
                refuse(endpoint.tooLarge(limits.maxBodyBytes()));
                return;
            }
            if (!grow(bodyLength + arriving)) {
                refuse(Endpoint.Response.text(503, "busy: too many request bodies in memory at once; try again")
                        .withHeader("Retry-After", "1"));
                return;
            }
            bytes.readBytes(body, bodyLength, arriving);
            bodyLength += arriving;
        }
        if (content instanceof LastHttpContent) {
            answer();
        }
    }

    /** Room for {@code needed} bytes, growing by doubling (up to the limit), paid from the body memory budget. */
    private boolean grow(int needed) {
        if (needed <= body.length) {
            return true;
        }
        int capacity = (int) Math.min(limits.maxBodyBytes(), Math.max(needed, Math.max(FIRST_BODY_CAPACITY, 2L * body.length)));
        if (!bodyMemory.reserve(capacity - body.length)) {
            return false;
        }
        bodyReserved += capacity - body.length;
        body = Arrays.copyOf(body, capacity);
        return true;
    }

    private void answer() {
        phase = Phase.ANSWERING;
        cancelDeadline();
        context.channel().config().setAutoRead(false);
        Endpoint.Head request = head;
        byte[] complete = bodyLength == body.length ? body : Arrays.copyOf(body, bodyLength);
        long reserved = bodyReserved;
        body = null;
        bodyReserved = 0;
        try {
            workers.execute(() -> {
                Endpoint.Response response;
                try {
                    response = endpoint.answer(request, complete);
                } catch (RuntimeException | Error e) {
                    LOG.atError().setCause(e).log("cannot answer a request");
                    response = Endpoint.Response.text(500, "internal error");
                    if (e instanceof VirtualMachineError fatal) {
                        throw fatal;
                    }
                } finally {
                    bodyMemory.release(reserved);
                }
                Endpoint.Response answered = response;
                context.executor().execute(() -> respond(answered, !keepAlive));
            });
        } catch (RejectedExecutionException e) {
            bodyMemory.release(reserved);
            respond(Endpoint.Response.text(503, "busy: all workers are taken; try again").withHeader("Retry-After", "1"), true, false);
        }
    }

    /** Answers without reading the rest of the request, and closes. */
    private void refuse(Endpoint.Response response) {
        releaseBody();
        respond(response, true, true);
    }

    private void respond(Endpoint.Response response, boolean close) {
        respond(response, close, false);
    }

    /** @param linger the request may not have been read to its end: read and drop the rest briefly before closing */
    private void respond(Endpoint.Response response, boolean close, boolean linger) {
        if (!context.channel().isActive()) {
            return;
        }
        phase = close ? Phase.CLOSING : Phase.ANSWERING;
        HttpResponseStatus status = HttpResponseStatus.valueOf(response.status());
        FullHttpResponse message = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                headRequest ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(response.body()));
        message.headers().set(HttpHeaderNames.CONTENT_TYPE, response.contentType());
        message.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.body().length);
        response.headers().forEach(message.headers()::set);
        if (close) {
            message.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            // Bounded: a client that does not read its answer is cut off after the body deadline.
            arm(limits.requestBody(), "the response to be read");
            context.writeAndFlush(message).addListener(written -> {
                if (!written.isSuccess() || !linger) {
                    context.close();
                    return;
                }
                // A lingering close: what the client still sends (a body it had begun) is read and dropped for
                // a moment, so that closing does not reset the connection before the client has read the answer.
                arm(LINGER, "the client to stop sending");
                context.channel().config().setAutoRead(true);
            });
            return;
        }
        arm(limits.requestBody(), "the response to be read");
        context.writeAndFlush(message).addListener(written -> {
            if (!written.isSuccess()) {
                context.close();
                return;
            }
            head = null;
            headRequest = false;
            phase = Phase.WAITING;
            arm(limits.keepAlive(), "the next request");
            context.channel().config().setAutoRead(true);
        });
    }

    private void releaseBody() {
        if (bodyReserved > 0) {
            bodyMemory.release(bodyReserved);
            bodyReserved = 0;
        }
        body = null;
    }

    private void arm(Duration timeout, String awaiting) {
        cancelDeadline();
        if (context == null) {
            return;
        }
        Phase armedIn = phase;
        deadline = context.executor().schedule(() -> {
            if (phase == armedIn && context.channel().isActive()) {
                LOG.atDebug().addKeyValue("client", client()).log("closing a connection that waited too long for " + awaiting);
                context.close();
            }
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void cancelDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    private InetSocketAddress client() {
        return context == null ? null : (InetSocketAddress) context.channel().remoteAddress();
    }

}
