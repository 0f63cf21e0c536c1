package com.pyerp.deployaction.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.pyerp.deployaction.action.LocalCache;
import com.pyerp.deployaction.config.BuildSpec.CopySpec;
import com.pyerp.deployaction.config.BuildSpec.FileProperties;
import com.pyerp.deployaction.config.BuildSpec.LayerSpec;
import com.pyerp.deployaction.config.BuildSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerContentTest {

    @TempDir
    Path tempDir;

    private Path deps;

    @BeforeEach
    void dependencies() throws IOException {
        deps = Files.createDirectories(tempDir.resolve("deps/pkg"));
        Files.writeString(deps.resolve("__init__.py"), "VERSION = '1.0'\n");
        Files.write(deps.resolve("native.so"), new byte[3 * (1 << 20) + 17]);
    }

    private String digest(LocalCache cache) {
        return LayerContent.digest(LayerPlanner.plan(List.of(new LayerSpec("deps",
                List.of(new CopySpec(tempDir.resolve("deps"), "/app/deps", List.of(), List.of(), FileProperties.NONE))))), cache);
    }

    private LocalCache freshCache() throws IOException {
        return new LocalCache(Files.createTempDirectory(tempDir, "cache"));
    }

    @Test
    void theSameBytesWrittenAgainLaterGiveTheSameDigest() throws IOException {
        String before = digest(freshCache());
        Files.setLastModifiedTime(deps.resolve("native.so"), FileTime.from(Instant.parse("2030-01-01T00:00:00Z")));
        Files.writeString(deps.resolve("__init__.py"), "VERSION = '1.0'\n");
        assertEquals(before, digest(freshCache()), "timestamps are not content");
    }

    @Test
    void oneChangedByteOrModeChangesTheDigest() throws IOException {
        String before = digest(freshCache());
        byte[] bytes = Files.readAllBytes(deps.resolve("native.so"));
        bytes[bytes.length - 1] = 1;
        Files.write(deps.resolve("native.so"), bytes);
        String changedByte = digest(freshCache());
        assertNotEquals(before, changedByte);
        Files.setPosixFilePermissions(deps.resolve("__init__.py"), PosixFilePermissions.fromString("rwxr-xr-x"));
        assertNotEquals(changedByte, digest(freshCache()), "an executable file becomes 755 in the image");
    }

    @Test
    void aRunnerThatSawTheSameFilesAnswersFromItsCacheWithoutReadingThem() throws IOException {
        Path directory = Files.createTempDirectory(tempDir, "cache");
        LocalCache cache = new LocalCache(directory);
        String first = digest(cache);
        List<Path> remembered;
        try (var files = Files.list(directory.resolve("layer-content"))) {
            remembered = files.toList();
        }
        assertEquals(1, remembered.size());
        assertEquals(first, Files.readString(remembered.get(0)));
        Files.writeString(remembered.get(0), "remembered");
        assertEquals("remembered", digest(cache), "same sizes and modification times: the files are not read");
        Files.setLastModifiedTime(deps.resolve("native.so"), FileTime.from(Instant.parse("2030-01-01T00:00:00Z")));
        assertEquals(first, digest(cache), "a new modification time means reading again, to the same answer");
    }
}
