package com.pyerp.deployaction.deploy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Requests through the proxy at a fixed rate while a deploy runs, each on a new HTTP/1.0 connection (no chunked bodies to decode) with the app's Host header
 * and a deadline, as many users would: every answer is kept with when it started and ended. It stops by itself after
 * {@code MAX_SECONDS}.
 */
final class LoadLoop {

    static final int PER_SECOND = 25;
    static final int DEADLINE_MILLIS = 10_000;
    private static final int MAX_SECONDS = 240;

    /** One request: its path, when it started and ended, and the status and body, or the error, it got. */
    record Answer(String path, long started, long ended, int status, String body) {
        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final String proxy;
    private final int port;
    private final String host;
    private final int deadlineMillis;
    private final List<Answer> answers = Collections.synchronizedList(new ArrayList<>());
    private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService requests = Executors.newCachedThreadPool();

    private LoadLoop(String proxyAddress, String host, int deadlineMillis) {
        this.deadlineMillis = deadlineMillis;
        this.proxy = proxyAddress.substring(0, proxyAddress.lastIndexOf(':'));
        this.port = Integer.parseInt(proxyAddress.substring(proxyAddress.lastIndexOf(':') + 1));
        this.host = host;
    }

    /** Starts requesting {@code /} of {@code host} through the proxy at {@code proxyAddress} (host:port). */
    static LoadLoop start(String proxyAddress, String host) {
        return start(proxyAddress, host, DEADLINE_MILLIS);
    }

    /** With a deadline per request of its own, such as a pause that holds requests longer. */
    static LoadLoop start(String proxyAddress, String host, int deadlineMillis) {
        LoadLoop loop = new LoadLoop(proxyAddress, host, deadlineMillis);
        long until = System.currentTimeMillis() + MAX_SECONDS * 1000L;
        loop.clock.scheduleAtFixedRate(() -> {
            if (System.currentTimeMillis() < until) {
                loop.requests.execute(() -> loop.answers.add(loop.get("/")));
            }
        }, 0, 1000 / PER_SECOND, TimeUnit.MILLISECONDS);
        return loop;
    }

    /** One request through the proxy, outside any loop. */
    static Answer once(String proxyAddress, String host, String path) {
        return new LoadLoop(proxyAddress, host, DEADLINE_MILLIS).get(path);
    }

    /** One request now, on its own connection. */
    Answer get(String path) {
        long started = System.currentTimeMillis();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(proxy, port), deadlineMillis);
            socket.setSoTimeout(deadlineMillis);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.0\r\nHost: " + host + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                response.write(buffer, 0, n);
                if (System.currentTimeMillis() - started > deadlineMillis) {
                    throw new IOException("deadline passed");
                }
            }
            String text = response.toString(StandardCharsets.UTF_8);
            int headerEnd = text.indexOf("\r\n\r\n");
            String[] statusLine = text.substring(0, Math.max(0, text.indexOf("\r\n"))).split(" ");
            int status = statusLine.length > 1 && statusLine[1].matches("\\d{3}") ? Integer.parseInt(statusLine[1]) : 0;
            return new Answer(path, started, System.currentTimeMillis(), status,
                    headerEnd < 0 ? "" : text.substring(headerEnd + 4).strip());
        } catch (IOException e) {
            return new Answer(path, started, System.currentTimeMillis(), 0, e.toString());
        }
    }

    /** Stops sending, waits for the answers in flight, and returns them all. */
    List<Answer> stop() throws InterruptedException {
        clock.shutdownNow();
        requests.shutdown();
        requests.awaitTermination(deadlineMillis * 2L, TimeUnit.MILLISECONDS);
        synchronized (answers) {
            return List.copyOf(answers);
        }
    }

    /** Every failure: no answer or a non-2xx one, or an answer of {@code old} that started after {@code fresh} had answered. */
    static List<Answer> failures(List<Answer> answers, String old, String fresh) {
        long switched = answers.stream().filter(a -> a.ok() && a.body().equals(fresh)).mapToLong(Answer::ended).min()
                .orElse(Long.MAX_VALUE);
        return answers.stream().filter(a -> !a.ok() || (a.body().equals(old) && a.started() > switched)
                || !(a.body().equals(old) || a.body().equals(fresh))).toList();
    }
}
