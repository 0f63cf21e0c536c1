package com.pyerp.deployaction.imagefs;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipEncoding;
import org.apache.commons.compress.archivers.zip.ZipEncodingHelper;

/**
 * A tar stream read entry by entry: commons-compress parses each header (ustar, GNU and base-256 fields), and this
 * class applies PAX ({@code x}) records and GNU long names and links, and skips data and padding through one
 * reused buffer. TarArchiveInputStream allocates a fresh buffer for every skip, which for a layer of 15,000
 * files is a gigabyte of garbage and a young generation that fills the memory budget.
 */
final class TarStream {

    interface Visitor {
        /** {@code data} holds the entry's content; whatever the visitor leaves unread is skipped. */
        void entry(TarArchiveEntry entry, InputStream data) throws IOException;
    }

    private static final int BLOCK = 512;
    private static final java.util.List<String> PAX_KEYS = java.util.List.of("path", "linkpath", "size");
    // Names are UTF-8 whatever the JVM's locale (a runner step may have none); bytes that are not UTF-8 become
    // replacement characters instead of failing the read.
    private static final ZipEncoding UTF_8 = ZipEncodingHelper.getZipEncoding(StandardCharsets.UTF_8);

    private final InputStream in;
    private final byte[] buffer = new byte[1 << 16];

    private TarStream(InputStream in) {
        this.in = in;
    }

    static void read(InputStream in, Visitor visitor) throws IOException {
        new TarStream(in).entries(visitor);
    }

    private void entries(Visitor visitor) throws IOException {
        String longName = null;
        String longLink = null;
        java.util.Map<String, String> pax = new java.util.LinkedHashMap<>();
        byte[] header = new byte[BLOCK];
        while (in.readNBytes(header, 0, BLOCK) == BLOCK && !allZero(header)) {
            TarArchiveEntry entry = new TarArchiveEntry(header, UTF_8, true);
            long size = entry.getSize();
            if (entry.isPaxHeader()) {
                parsePax(content(size), pax);
            } else if (entry.isGNULongNameEntry()) {
                longName = cString(content(size));
            } else if (entry.isGNULongLinkEntry()) {
                longLink = cString(content(size));
            } else if (entry.isGlobalPaxHeader()) {
                skip(size + padding(size));
            } else {
                if (longName != null) {
                    entry.setName(longName);
                }
                if (longLink != null) {
                    entry.setLinkName(longLink);
                }
                // Only what says where an entry is and how long it is; times and owners are not needed.
                for (String key : PAX_KEYS) {
                    if (pax.containsKey(key)) {
                        entry.addPaxHeader(key, pax.get(key));
                    }
                }
                longName = null;
                longLink = null;
                pax.clear();
                Bounded data = new Bounded(in, entry.getSize());
                visitor.entry(entry, data);
                skip(data.remaining + padding(entry.getSize()));
            }
        }
    }

    /** The entry's content and its padding, read whole (for PAX records and long names, which are small). */
    private byte[] content(long size) throws IOException {
        if (size > 1 << 20) {
            throw new IOException("tar header record of " + size + " bytes");
        }
        byte[] content = in.readNBytes((int) size);
        if (content.length < size) {
            throw new EOFException("tar stream ends inside a header record");
        }
        skip(padding(size));
        return content;
    }

    /** {@code "27 path=usr/lib/os-release\n"} records: a decimal byte length that counts the whole record. */
    static void parsePax(byte[] data, java.util.Map<String, String> records) {
        int position = 0;
        while (position < data.length) {
            int space = position;
            while (space < data.length && data[space] != ' ') {
                space++;
            }
            if (space >= data.length) {
                return;
            }
            int length = Integer.parseInt(new String(data, position, space - position, StandardCharsets.US_ASCII));
            if (length <= space - position + 2 || position + length > data.length) {
                return;
            }
            String record = new String(data, space + 1, position + length - space - 2, StandardCharsets.UTF_8);
            int equals = record.indexOf('=');
            if (equals > 0) {
                records.put(record.substring(0, equals), record.substring(equals + 1));
            }
            position += length;
        }
    }

    private static String cString(byte[] bytes) {
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }

    private void skip(long count) throws IOException {
        long left = count;
        while (left > 0) {
            int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (read < 0) {
                throw new EOFException("tar stream ends inside an entry");
            }
            left -= read;
        }
    }

    private static long padding(long size) {
        return (BLOCK - size % BLOCK) % BLOCK;
    }

    private static boolean allZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /** The entry's data: at most {@code remaining} bytes of the stream, never closing it. */
    private static final class Bounded extends InputStream {
        private final InputStream in;
        private long remaining;

        Bounded(InputStream in, long remaining) {
            this.in = in;
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] target, int offset, int length) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int read = in.read(target, offset, (int) Math.min(length, remaining));
            if (read > 0) {
                remaining -= read;
            }
            return read;
        }
    }
}
