package com.pyerp.deployaction.system;

import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.debian.BinaryPackage;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

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
        byte[] bytes;
        try {
            bytes = http.get(uri).orElseThrow(() -> new ActionException("System packages: package missing", uri
                    + " is not on the mirror, although its index lists " + candidate.describe() + ". The mirror may be"
                    + " mid-update; retry, or refresh system-packages-lock if it pins a version the mirror has dropped."));
        } catch (IOException e) {
            throw new ActionException("System packages: mirror unreachable", uri + " could not be fetched ("
                    + e.getMessage() + ").");
        }
        String actual = SuiteIndexes.sha256(bytes);
        if (!actual.equals(candidate.sha256()) || candidate.size() > 0 && bytes.length != candidate.size()) {
            throw new ActionException(SuiteIndexes.TITLE, uri + ": " + bytes.length + " bytes with SHA256 " + actual
                    + ", but its index lists " + candidate.size() + " bytes with SHA256 " + candidate.sha256()
                    + ". The package was changed on the mirror; nothing was built.");
        }
        try {
            Files.createDirectories(cache);
            Path partial = Files.createTempFile(cache, candidate.name(), ".partial");
            Files.write(partial, bytes);
            Files.move(partial, deb, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new ActionException("System packages: no space", "Could not store " + deb + " (" + e.getMessage() + ").");
        }
        return deb;
    }
}
