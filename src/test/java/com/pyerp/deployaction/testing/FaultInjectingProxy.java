package com.pyerp.deployaction.testing;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * An HTTP/1.1 reverse proxy on 127.0.0.1 in front of a plain-HTTP registry that makes some requests fail: HTTP 500,
 * HTTP 429 with {@code Retry-After: 1}, or a connection reset without an answer. A faulted request never reaches the
 * registry.
 *
 * <p>Whether a request fails is a pure function of the seed, the request's identity ({@link #key}: method, the
 * endpoint without repository name or upload id, the digest, the body's length) and how many times that identity was
 * seen before: the n-th check of a blob, say, gets the same answer in every run, whichever order Jib's threads send
 * things in. (All blobs' upload POSTs share one identity, and which requests an abandoned build attempt still makes
 * depends on timing; {@link #limitStatusFaults} makes the outcome independent of that.)
 *
 * <p>Jib tries HTTPS first even on an insecure registry: a TLS ClientHello is read and the socket closed, which the
 * client sees as a failed handshake and answers by falling back to plain HTTP. TLS attempts never get a fault.
 */
public final class FaultInjectingProxy implements Closeable {

    public enum Fault { SERVER_ERROR, TOO_MANY_REQUESTS, RESET }

    /** One request: {@code fault} null when forwarded, {@code answered} when a fixed answer was sent instead. */
    public record Exchange(String method, String target, Fault fault, boolean answered) {}

    private record Answer(Pattern request, int status, String body) {}

    private record Reply(int status, Map<String, List<String>> headers, byte[] body) {}

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "transfer-encoding", "te",
            "trailer", "upgrade", "proxy-connection", "content-length", "host", "expect", "date", "via");

    private final String upstream;
    private final ServerSocket server;
    private final String address;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    private final ExecutorService connections = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "fault-injecting-proxy");
        thread.setDaemon(true);
        return thread;
    });
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
    private final List<Answer> answers = new CopyOnWriteArrayList<>();
    private final AtomicInteger tlsAttempts = new AtomicInteger();
    private volatile long seed;
    private volatile double serverErrors;
    private volatile double tooManyRequests;
    private volatile double resets;
    private volatile int statusFaultLimit = Integer.MAX_VALUE;
    private final AtomicInteger statusFaults = new AtomicInteger();

    private FaultInjectingProxy(String upstream) throws IOException {
        this.upstream = upstream;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.address = "127.0.0.1:" + server.getLocalPort();
        Thread acceptor = new Thread(this::accept, "fault-injecting-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A proxy forwarding to {@code upstream} ({@code host:port}), injecting nothing until told to. */
    public static FaultInjectingProxy to(String upstream) throws IOException {
        return new FaultInjectingProxy(upstream);
    }

    /** Fails these fractions of requests (each 0..1, summing to at most 1), chosen by {@code seed}. */
    public FaultInjectingProxy faults(long seed, double serverErrors, double tooManyRequests, double resets) {
        this.seed = seed;
        this.serverErrors = serverErrors;
        this.tooManyRequests = tooManyRequests;
        this.resets = resets;
        return this;
    }

    /**
     * Stops answering 500 or 429 after {@code limit} of them (later requests drawn for one are forwarded). Jib gives
     * up a whole build on any error status, so a build attempt can only fail by using up one of these: with {@code
     * limit} below the caller's attempts, the push succeeds however Jib's threads interleave.
     */
    public FaultInjectingProxy limitStatusFaults(int limit) {
        this.statusFaultLimit = limit;
        return this;
    }

    /** Answers every request whose {@code "METHOD /path?query"} matches {@code request} with this status and body. */
    public FaultInjectingProxy answer(String request, int status, String body) {
        answers.add(new Answer(Pattern.compile(request), status, body));
        return this;
    }

    /** {@code 127.0.0.1:port}, the registry address to give Jib. */
    public String address() {
        return address;
    }

    /** Every HTTP request received, in arrival order (TLS attempts not included). */
    public List<Exchange> exchanges() {
        return List.copyOf(exchanges);
    }

    public int requests() {
        return exchanges.size();
    }

    public int faults() {
        return (int) exchanges.stream().filter(exchange -> exchange.fault() != null).count();
    }

    public int faults(Fault kind) {
        return (int) exchanges.stream().filter(exchange -> exchange.fault() == kind).count();
    }

    public int tlsAttempts() {
        return tlsAttempts.get();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : open) {
            socket.close();
        }
        connections.shutdownNow();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                open.add(socket);
                connections.execute(() -> serve(socket));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setSoTimeout(60_000);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = new BufferedOutputStream(socket.getOutputStream());
            in.mark(1);
            if (in.read() == 0x16) { // a TLS handshake record: read the ClientHello, then hang up
                tlsAttempts.incrementAndGet();
                byte[] header = in.readNBytes(4);
                in.readNBytes(header.length == 4 ? ((header[2] & 0xff) << 8) | (header[3] & 0xff) : 0);
                return;
            }
            in.reset();
            String requestLine;
            while ((requestLine = line(in)) != null && !requestLine.isEmpty()) {
                String[] parts = requestLine.split(" ");
                String method = parts[0];
                String target = parts[1];
                Map<String, List<String>> headers = headers(in);
                if ("100-continue".equalsIgnoreCase(first(headers, "expect"))) {
                    out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                }
                byte[] body = body(in, headers);
                Answer answer = answers.stream().filter(a -> a.request().matcher(method + " " + target).matches())
                        .findFirst().orElse(null);
                Fault fault = answer == null ? fault(key(method, target, body)) : null;
                exchanges.add(new Exchange(method, target, fault, answer != null));
                if (fault == Fault.RESET) {
                    socket.setSoLinger(true, 0); // close() now sends RST
                    return;
                }
                Reply reply = answer != null ? json(answer.status(), answer.body())
                        : fault == Fault.SERVER_ERROR ? json(500, error("UNKNOWN", "injected fault"))
                        : fault == Fault.TOO_MANY_REQUESTS ? retryAfter(json(429, error("TOOMANYREQUESTS", "injected fault")))
                        : forward(method, target, headers, body);
                write(out, method, reply);
                if ("close".equalsIgnoreCase(first(headers, "connection"))) {
                    return;
                }
            }
        } catch (IOException e) {
            // the client went away
        } finally {
            open.remove(socket);
        }
    }

    /** The request's identity for the fault schedule, the same in every run: no repository name, no upload id. */
    static String key(String method, String target, byte[] body) {
        String path = target.replaceFirst("\\?.*", "");
        String digest = target.matches(".*[?&]digest=.*") ? target.replaceFirst(".*[?&]digest=([^&]*).*", " digest=$1") : "";
        String endpoint = path.replaceFirst("^/v2/.+?/(blobs|manifests|tags)/", "$1/")
                .replaceFirst("^blobs/uploads/.+", "blobs/uploads/{id}");
        return method + " " + endpoint + digest + (body.length > 0 ? " bytes=" + body.length : "");
    }

    private Fault fault(String key) {
        if (serverErrors + tooManyRequests + resets <= 0) {
            return null;
        }
        int occurrence = seen.computeIfAbsent(key, k -> new AtomicInteger()).getAndIncrement();
        Fault fault = draw(seed, key, occurrence, serverErrors, tooManyRequests, resets);
        boolean status = fault == Fault.SERVER_ERROR || fault == Fault.TOO_MANY_REQUESTS;
        return status && statusFaults.getAndUpdate(n -> n < statusFaultLimit ? n + 1 : n) >= statusFaultLimit ? null : fault;
    }

    /** The fault for the {@code occurrence}-th request (from 0) with this key: the seeded schedule itself. */
    static Fault draw(long seed, String key, int occurrence, double serverErrors, double tooManyRequests, double resets) {
        double roll = new SplittableRandom(seed * 1_000_003L + key.hashCode() * 8191L + occurrence).nextDouble();
        return roll < serverErrors ? Fault.SERVER_ERROR
                : roll < serverErrors + tooManyRequests ? Fault.TOO_MANY_REQUESTS
                : roll < serverErrors + tooManyRequests + resets ? Fault.RESET
                : null;
    }

    private Reply forward(String method, String target, Map<String, List<String>> headers, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + upstream + target))
                .timeout(Duration.ofSeconds(60))
                .method(method, body.length > 0 || !Set.of("GET", "HEAD", "DELETE").contains(method)
                        ? HttpRequest.BodyPublishers.ofByteArray(body) : HttpRequest.BodyPublishers.noBody());
        headers.forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name)) {
                values.forEach(value -> request.header(name, value));
            }
        });
        try {
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            Map<String, List<String>> replyHeaders = new LinkedHashMap<>();
            response.headers().map().forEach((name, values) -> {
                String lower = name.toLowerCase(Locale.ROOT);
                if (lower.equals("location")) {
                    values = values.stream().map(value -> value.replace("//" + upstream + "/", "//" + address + "/")).toList();
                }
                if (!HOP_BY_HOP.contains(lower) || (lower.equals("content-length") && method.equals("HEAD"))) {
                    replyHeaders.put(name, values);
                }
            });
            return new Reply(response.statusCode(), replyHeaders, response.body());
        } catch (IOException e) {
            return json(502, error("UNKNOWN", "proxy: " + e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return json(502, error("UNKNOWN", "proxy interrupted"));
        }
    }

    private static void write(OutputStream out, String method, Reply reply) throws IOException {
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(reply.status()).append(' ')
                .append(reason(reply.status())).append("\r\n");
        reply.headers().forEach((name, values) -> values.forEach(value -> head.append(name).append(": ").append(value).append("\r\n")));
        boolean noBody = method.equals("HEAD") || reply.status() == 204 || reply.status() == 304;
        if (!method.equals("HEAD") && reply.status() != 204 && reply.status() != 304) {
            head.append("Content-Length: ").append(reply.body().length).append("\r\n");
        }
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (!noBody) {
            out.write(reply.body());
        }
        out.flush();
    }

    private static Reply json(int status, String body) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Content-Type", List.of("application/json; charset=utf-8"));
        headers.put("Docker-Distribution-Api-Version", List.of("registry/2.0"));
        return new Reply(status, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    private static Reply retryAfter(Reply reply) {
        reply.headers().put("Retry-After", List.of("1"));
        return reply;
    }

    private static String error(String code, String message) {
        return "{\"errors\":[{\"code\":\"" + code + "\",\"message\":\"" + message.replace("\"", "'") + "\"}]}";
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 201 -> "Created";
            case 202 -> "Accepted";
            case 204 -> "No Content";
            case 307 -> "Temporary Redirect";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 416 -> "Requested Range Not Satisfiable";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            default -> "Status";
        };
    }

    /** Header names in lower case. */
    private static Map<String, List<String>> headers(InputStream in) throws IOException {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        String line;
        while ((line = line(in)) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            headers.computeIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(line.substring(colon + 1).trim());
        }
        return headers;
    }

    private static byte[] body(InputStream in, Map<String, List<String>> headers) throws IOException {
        if ("chunked".equalsIgnoreCase(first(headers, "transfer-encoding"))) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            int size;
            while ((size = Integer.parseInt(requiredLine(in).replaceFirst(";.*", "").trim(), 16)) > 0) {
                body.write(in.readNBytes(size));
                requiredLine(in); // the CRLF after the chunk
            }
            while (!requiredLine(in).isEmpty()) {
                // trailers
            }
            return body.toByteArray();
        }
        String length = first(headers, "content-length");
        return length == null ? new byte[0] : in.readNBytes(Integer.parseInt(length));
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static String requiredLine(InputStream in) throws IOException {
        String line = line(in);
        if (line == null) {
            throw new EOFException("request body cut short");
        }
        return line;
    }

    /** A line without its CRLF, or null at the end of the stream. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b == -1) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }
}
