package com.pyerp.deployaction.registry;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongConsumer;

/**
 * A request body for {@link RegistryClient}: bytes in memory, or a file streamed from disk (a layer blob may be
 * larger than the heap) whose bytes read so far go to {@code sent} as they go.
 */
public record Upload(String contentType, byte[] bytes, Path file, LongConsumer sent) {

    public static Upload of(String contentType, byte[] bytes) {
        return new Upload(contentType, bytes, null, total -> {});
    }

    public static Upload of(Path file, LongConsumer sent) {
        return new Upload("application/octet-stream", null, file, sent);
    }

    public long length() throws IOException {
        return bytes != null ? bytes.length : Files.size(file);
    }

    /**
     * The body with its Content-Length, as a monolithic blob upload wants, not chunked; {@code whenSent} runs once the
     * last byte is handed over, from when the registry's answer is waited for.
     */
    HttpRequest.BodyPublisher publisher(Runnable whenSent) throws IOException {
        long length = length();
        if (bytes != null || length == 0) {
            whenSent.run();
            return HttpRequest.BodyPublishers.ofByteArray(bytes != null ? bytes : new byte[0]);
        }
        return HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> {
            try {
                return open(total -> {
                    sent.accept(total);
                    if (total == length) {
                        whenSent.run();
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }), length);
    }

    /** The body from its start, as a retried request sends it again. */
    private InputStream open(LongConsumer counted) throws IOException {
        InputStream in = bytes != null ? new ByteArrayInputStream(bytes) : Files.newInputStream(file);
        return new FilterInputStream(in) {
            private long total;

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int read = super.read(buffer, offset, length);
                if (read > 0) {
                    total += read;
                    counted.accept(total);
                }
                return read;
            }
        };
    }
}
