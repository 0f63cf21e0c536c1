package com.pyerp.deployaction.imagefs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * An image's files read from its source: every layer streamed once (several at a time), keeping the files
 * {@code wanted} names, and the whiteouts applied afterwards, bottom up.
 */
public final class ImageReader {

    /** @param bytes the uncompressed size of all layers */
    public record Result(ImageFiles files, String platform, long bytes) {}

    private static final int PROGRESS_INTERVAL_SECONDS = 5;

    private ImageReader() {}

    /** {@code progress} gets a line per layer read, and one every few seconds while layers stream. */
    public static Result read(ImageSource source, Predicate<String> wanted, Consumer<String> progress)
            throws IOException, InterruptedException {
        long start = System.nanoTime();
        ImageSource.Manifest manifest = source.manifest();
        List<ImageSource.Layer> layers = manifest.layers();
        int threads = Math.max(1, Math.min(layers.size(), Runtime.getRuntime().availableProcessors()));
        ExecutorService pool = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "image-layer");
            thread.setDaemon(true);
            return thread;
        });
        AtomicLong bytesRead = new AtomicLong();
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "image-progress");
            thread.setDaemon(true);
            return thread;
        });
        ticker.scheduleAtFixedRate(() -> progress.accept(String.format("… %s of layers read after %.0f s", size(bytesRead.get()),
                (System.nanoTime() - start) / 1e9)), PROGRESS_INTERVAL_SECONDS, PROGRESS_INTERVAL_SECONDS, TimeUnit.SECONDS);
        try {
            List<Future<LayerReader.Content>> reads = new ArrayList<>();
            for (int i = 0; i < layers.size(); i++) {
                ImageSource.Layer layer = layers.get(i);
                String label = "layer " + (i + 1) + "/" + layers.size() + " " + shortDigest(layer.diffId());
                reads.add(pool.submit(() -> {
                    long layerStart = System.nanoTime();
                    try (InputStream in = source.openLayer(layer)) {
                        LayerReader.Content content = LayerReader.read(layer.diffId(), in, wanted, bytesRead);
                        progress.accept(String.format("%s: %s read in %.1f s, %d cataloged file(s)", label,
                                size(content.bytes()), (System.nanoTime() - layerStart) / 1e9, content.changes().size()));
                        return content;
                    }
                }));
            }
            progress.accept("reading " + layers.size() + " layer(s) (" + size(layers.stream().mapToLong(ImageSource.Layer::size)
                    .sum()) + " compressed) from " + source.description());
            List<LayerReader.Content> contents = new ArrayList<>();
            for (Future<LayerReader.Content> read : reads) {
                contents.add(await(read));
            }
            return new Result(ImageFiles.fold(contents), manifest.platform(),
                    contents.stream().mapToLong(LayerReader.Content::bytes).sum());
        } finally {
            ticker.shutdownNow();
            pool.shutdownNow();
        }
    }

    private static LayerReader.Content await(Future<LayerReader.Content> read) throws IOException, InterruptedException {
        try {
            return read.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof UncheckedIOException unchecked) {
                throw unchecked.getCause();
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException(cause);
        }
    }

    private static String shortDigest(String digest) {
        int colon = digest.indexOf(':');
        String hex = colon < 0 ? digest : digest.substring(colon + 1);
        return (colon < 0 ? "" : digest.substring(0, colon + 1)) + hex.substring(0, Math.min(12, hex.length()));
    }

    /** {@code 1.5 MB}, or {@code 12.0 kB} below a megabyte. */
    public static String size(long bytes) {
        return bytes >= 1 << 20 ? String.format("%.1f MB", bytes / 1048576.0) : String.format("%.1f kB", bytes / 1024.0);
    }
}
