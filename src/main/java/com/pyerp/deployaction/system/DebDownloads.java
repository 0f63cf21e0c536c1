package com.pyerp.deployaction.system;

import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.debian.BinaryPackage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The {@code .deb} of each resolved package, in a cache directory by its SHA256: a file already there is used
 * without a download, and each downloaded one must have the size and SHA256 its index lists.
 */
final class DebDownloads {

    private final SuiteIndexes.Http http;
    private final Path cache;

    DebDownloads(SuiteIndexes.Http http, Path cache) {
        this.http = http;
        this.cache = cache;
    }

    /** A package of an index, from the index's archive. */
    Path fetch(BinaryPackage candidate) {
        if (!candidate.sha256().matches("[0-9a-f]{64}") || candidate.filename().isEmpty()
                || candidate.filename().startsWith("/") || List.of(candidate.filename().split("/")).contains("..")) {
            throw new ActionException(SuiteIndexes.TITLE, candidate.origin() + " lists " + candidate.describe()
                    + " with the SHA256 '" + candidate.sha256() + "' and the Filename '" + candidate.filename()
                    + "', which the action does not download.");
        }
        return fetch(candidate, SuiteIndexes.debUri(candidate), "its index", uri -> new ActionException(
                "System packages: package missing", uri + " is not on the mirror, although its index lists "
                        + candidate.describe() + ". The mirror may be mid-update; retry."));
    }

    /**
     * A package from {@code uri}, which must have the size and SHA256 of {@code candidate}.
     *
     * @param listedBy where those come from, for the error when they do not match ({@code its index})
     * @param missing the error for a 404
     */
    Path fetch(BinaryPackage candidate, URI uri, String listedBy, Function<URI, ActionException> missing) {
        Path deb = cache.resolve(candidate.sha256() + ".deb");
        if (Files.isRegularFile(deb) && cachedIntact(deb, candidate)) {
            return deb;
        }
        MessageDigest digest = SuiteIndexes.sha256Digest();
        long size;
        Path partial;
        try {
            Files.createDirectories(cache);
            partial = Files.createTempFile(cache, candidate.name(), ".partial");
            Optional<InputStream> served = http.open(uri);
            if (served.isEmpty()) {
                deleteQuietly(partial);
                throw missing.apply(uri);
            }
            try (InputStream body = served.get()) {
                size = copy(new DigestInputStream(body, digest), partial, candidate.size());
            } catch (IOException e) {
                deleteQuietly(partial);
                throw e;
            }
        } catch (IOException e) {
            throw new ActionException("System packages: mirror unreachable", uri + " could not be fetched or stored in "
                    + cache + " (" + e.getMessage() + ").");
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equals(candidate.sha256()) || candidate.size() > 0 && size != candidate.size()) {
            deleteQuietly(partial);
            throw new ActionException(SuiteIndexes.TITLE, uri + ": " + size + " bytes with SHA256 " + actual
                    + ", but " + listedBy + " lists " + candidate.size() + " bytes with SHA256 " + candidate.sha256()
                    + ". The package was changed on the mirror; nothing was built.");
        }
        try {
            Files.move(partial, deb, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new ActionException("System packages: no space", "Could not store " + deb + " (" + e.getMessage() + ").");
        }
        return deb;
    }

    /** A cached package is used only while it still has the index's hash: a cache may be restored from elsewhere. */
    private static boolean cachedIntact(Path deb, BinaryPackage candidate) {
        MessageDigest digest = SuiteIndexes.sha256Digest();
        try (InputStream in = new DigestInputStream(Files.newInputStream(deb), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            return false;
        }
        return HexFormat.of().formatHex(digest.digest()).equals(candidate.sha256());
    }

    /** Copies at most one byte past {@code expected}, so that a mirror cannot fill the disk; 0 means unknown. */
    private static long copy(InputStream in, Path file, long expected) throws IOException {
        long limit = expected > 0 ? expected + 1 : Long.MAX_VALUE;
        long total = 0;
        byte[] buffer = new byte[1 << 16];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int read = in.read(buffer); read >= 0 && total < limit; read = in.read(buffer)) {
                int kept = (int) Math.min(read, limit - total);
                out.write(buffer, 0, kept);
                total += kept;
            }
        }
        return total;
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover partial download is replaced by the next one
        }
    }
}
