package com.pyerp.deployaction.system;

import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.debian.BinaryPackage;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

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

    Path fetch(BinaryPackage candidate) {
        Path deb = cache.resolve(candidate.sha256() + ".deb");
        if (Files.isRegularFile(deb)) {
            return deb;
        }
        URI uri = SuiteIndexes.debUri(candidate);
        MessageDigest digest = SuiteIndexes.sha256Digest();
        long size;
        Path partial;
        try {
            Files.createDirectories(cache);
            partial = Files.createTempFile(cache, candidate.name(), ".partial");
            try (InputStream body = http.open(uri).orElseThrow(() -> new ActionException("System packages: package"
                    + " missing", uri + " is not on the mirror, although its index lists " + candidate.describe()
                    + ". The mirror may be mid-update; retry, or refresh system-packages-lock if it pins a version the"
                    + " mirror has dropped."))) {
                size = Files.copy(new DigestInputStream(body, digest), partial, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new ActionException("System packages: mirror unreachable", uri + " could not be fetched or stored in "
                    + cache + " (" + e.getMessage() + ").");
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equals(candidate.sha256()) || candidate.size() > 0 && size != candidate.size()) {
            deleteQuietly(partial);
            throw new ActionException(SuiteIndexes.TITLE, uri + ": " + size + " bytes with SHA256 " + actual
                    + ", but its index lists " + candidate.size() + " bytes with SHA256 " + candidate.sha256()
                    + ". The package was changed on the mirror; nothing was built.");
        }
        try {
            Files.move(partial, deb, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new ActionException("System packages: no space", "Could not store " + deb + " (" + e.getMessage() + ").");
        }
        return deb;
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover partial download is replaced by the next one
        }
    }
}
