package com.pyerp.deployaction.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.registry.RegistryRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lock file: written, read back, and matched against the request, the sources and the bases. */
class PackageLockTest {

    @TempDir
    Path directory;

    private static final PackageSet.Entry MARIADB = new PackageSet.Entry("libmariadb3", "1:10.11.6-0+deb12u1", "amd64",
            170_000, true, "a".repeat(64), "http://deb.debian.org/debian/pool/main/m/mariadb/libmariadb3.deb");
    private static final BaseImage.Platform AMD64 = new BaseImage.Platform("linux/amd64", "amd64", "sha256:" + "1".repeat(64),
            new RegistryRepository.Document("application/vnd.docker.distribution.manifest.v2+json", new byte[0]),
            new byte[0], null);
    private static final PackageLock LOCK = new PackageLock(PackageLock.VERSION, List.of("libmariadb3"), List.of(),
            List.of(new PackageLock.Platform("linux/amd64", AMD64.digest(), List.of(MARIADB))));

    @Test
    void aWrittenLockReadsBackAndMatchesItsRequest() {
        Path file = directory.resolve("ci/system-packages.lock");
        LOCK.write(file);
        PackageLock read = PackageLock.read(file, "ci/system-packages.lock").orElseThrow();
        assertEquals(LOCK, read);
        List<String> names = List.of("libmariadb3");
        assertTrue(read.matches(List.of("libmariadb3"), names, List.of(), List.of(AMD64)));
        assertFalse(read.matches(List.of("libmariadb3", "fonts-liberation"), List.of("libmariadb3", "fonts-liberation"),
                List.of(), List.of(AMD64)), "another request");
        assertFalse(read.matches(List.of("libmariadb3"), names, List.of("deb http://mirror.test/debian/ bookworm main"),
                List.of(AMD64)), "other sources");
        BaseImage.Platform newerBase = new BaseImage.Platform("linux/amd64", "amd64", "sha256:" + "2".repeat(64),
                AMD64.manifest(), new byte[0], null);
        assertFalse(read.matches(List.of("libmariadb3"), names, List.of(), List.of(newerBase)), "another base image");
        PackageLock empty = new PackageLock(PackageLock.VERSION, List.of("libmariadb3"), List.of(),
                List.of(new PackageLock.Platform("linux/amd64", AMD64.digest(), List.of())));
        assertFalse(empty.matches(List.of("libmariadb3"), names, List.of(), List.of(AMD64)), "a lock without the package");
    }

    @Test
    void aMissingLockIsNoLockAndAnotherFileIsRefused() throws Exception {
        assertEquals(Optional.empty(), PackageLock.read(directory.resolve("none.lock"), "none.lock"));
        Path other = Files.writeString(directory.resolve("other.lock"), "{\"lockfileVersion\": 3}");
        ActionException e = assertThrows(ActionException.class, () -> PackageLock.read(other, "other.lock"));
        assertEquals("Invalid input: system-packages-lock", e.title());
        assertTrue(e.getMessage().startsWith("'other.lock' is not a lock this action wrote ("), e.getMessage());
        assertTrue(e.getMessage().endsWith("). Delete it, and the next build writes it anew."), e.getMessage());
    }
}
