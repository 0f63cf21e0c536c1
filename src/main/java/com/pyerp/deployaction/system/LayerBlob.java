package com.pyerp.deployaction.system;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HexFormat;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * The layer tar gzip-compressed as a registry blob, on every core: as pigz does, the tar is cut into fixed blocks,
 * each deflated on its own with the previous block's last 32 KiB as its dictionary, and the raw deflate streams
 * joined into one gzip member. The header has no time or name, and the blocks do not depend on the number of
 * threads, so the same tar always gives the same blob, and so the same digest.
 *
 * @param digest of the compressed blob; {@code diffId} of the tar
 */
record LayerBlob(Path file, String digest, long size, String diffId) {

    private static final int BLOCK = 1 << 20;
    private static final int DICTIONARY = 32 << 10;
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 0};

    private record Block(byte[] data, int length, byte[] dictionary, boolean last) {}

    static LayerBlob compress(Path tar, Path blob) throws IOException {
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        ExecutorService pool = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "layer-gzip");
            thread.setDaemon(true);
            return thread;
        });
        MessageDigest uncompressed = SuiteIndexes.sha256Digest();
        MessageDigest compressed = SuiteIndexes.sha256Digest();
        CRC32 crc = new CRC32();
        long total = 0;
        try (InputStream in = Files.newInputStream(tar); OutputStream out = Files.newOutputStream(blob)) {
            write(out, compressed, HEADER, HEADER.length);
            Deque<Future<byte[]>> pending = new ArrayDeque<>();
            byte[] previous = new byte[0];
            byte[] data = in.readNBytes(BLOCK);
            while (true) {
                byte[] next = data.length == BLOCK ? in.readNBytes(BLOCK) : new byte[0];
                boolean last = next.length == 0;
                uncompressed.update(data);
                crc.update(data);
                total += data.length;
                Block block = new Block(data, data.length, tail(previous), last);
                pending.add(pool.submit(() -> deflate(block)));
                while (pending.size() > 2 * threads || last && !pending.isEmpty()) {
                    byte[] deflated = pending.remove().get();
                    write(out, compressed, deflated, deflated.length);
                }
                if (last) {
                    break;
                }
                previous = data;
                data = next;
            }
            byte[] trailer = new byte[8];
            int value = (int) crc.getValue();
            int length = (int) total;
            for (int index = 0; index < 4; index++) {
                trailer[index] = (byte) (value >>> (8 * index));
                trailer[4 + index] = (byte) (length >>> (8 * index));
            }
            write(out, compressed, trailer, trailer.length);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while compressing the layer", e);
        } catch (ExecutionException e) {
            throw new IOException("compressing the layer failed (" + e.getCause() + ")", e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return new LayerBlob(blob, "sha256:" + HexFormat.of().formatHex(compressed.digest()), Files.size(blob),
                "sha256:" + HexFormat.of().formatHex(uncompressed.digest()));
    }

    /** One block as raw deflate data: byte-aligned by a sync flush, or the stream's final block. */
    private static byte[] deflate(Block block) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try {
            if (block.dictionary().length > 0) {
                deflater.setDictionary(block.dictionary());
            }
            deflater.setInput(block.data(), 0, block.length());
            if (block.last()) {
                deflater.finish();
            }
            byte[] buffer = new byte[block.length() + block.length() / 8 + 1024];
            int written = 0;
            // A call that leaves room in the buffer has flushed everything; one that fills it is made again.
            while (true) {
                written += deflater.deflate(buffer, written, buffer.length - written,
                        block.last() ? Deflater.NO_FLUSH : Deflater.SYNC_FLUSH);
                if (block.last() ? deflater.finished() : written < buffer.length) {
                    break;
                }
                if (written == buffer.length) {
                    buffer = Arrays.copyOf(buffer, buffer.length * 2);
                }
            }
            return Arrays.copyOf(buffer, written);
        } finally {
            deflater.end();
        }
    }

    private static byte[] tail(byte[] previous) {
        return previous.length <= DICTIONARY ? previous : Arrays.copyOfRange(previous, previous.length - DICTIONARY,
                previous.length);
    }

    private static void write(OutputStream out, MessageDigest digest, byte[] bytes, int length) throws IOException {
        out.write(bytes, 0, length);
        digest.update(bytes, 0, length);
    }
}
