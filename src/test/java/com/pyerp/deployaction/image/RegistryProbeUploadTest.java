package com.pyerp.deployaction.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file upload sends the file's bytes and tells how far it got as it goes, for the push's progress lines. */
class RegistryProbeUploadTest {

    @TempDir
    Path temp;

    @Test
    void aFileIsSentWholeWithItsProgress() throws IOException {
        byte[] content = new byte[300_001];
        new Random(7).nextBytes(content);
        Path file = Files.write(temp.resolve("layer.tar.gz"), content);
        List<Long> sent = new ArrayList<>();
        RegistryProbe.Upload upload = RegistryProbe.Upload.of(file, sent::add);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        upload.writeTo(out);

        assertEquals(content.length, upload.length());
        assertArrayEquals(content, out.toByteArray());
        assertTrue(sent.size() > 1, "several steps: " + sent);
        for (int i = 1; i < sent.size(); i++) {
            assertTrue(sent.get(i) > sent.get(i - 1), "growing: " + sent);
        }
        assertEquals(content.length, sent.get(sent.size() - 1));
    }
}
