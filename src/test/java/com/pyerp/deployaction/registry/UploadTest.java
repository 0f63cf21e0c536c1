package com.pyerp.deployaction.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file upload sends the file's bytes and tells how far it got as it goes, for the push's progress lines. */
class UploadTest {

    @TempDir
    Path temp;

    @Test
    void aFileIsSentWholeWithItsProgress() throws IOException {
        byte[] content = new byte[300_001];
        new Random(7).nextBytes(content);
        Path file = Files.write(temp.resolve("layer.tar.gz"), content);
        List<Long> sent = new ArrayList<>();
        Upload upload = Upload.of(file, sent::add);

        try (LoopbackServer registry = new LoopbackServer(exchange -> LoopbackServer.answer(exchange, 201, ""))) {
            RegistryClient client = new RegistryClient(registry.address(), "acme/app", Optional.empty(), true, "push,pull");
            client.send("PUT", client.uri("blobs/uploads/1?digest=sha256:1"), null, upload);
            LoopbackServer.Request received = registry.requests().get(0);

            assertEquals(content.length, upload.length());
            assertEquals(String.valueOf(content.length), received.contentLength(), "a length, not chunks");
            assertArrayEquals(content, received.body());
        }
        assertTrue(sent.size() > 1, "several steps: " + sent);
        for (int i = 1; i < sent.size(); i++) {
            assertTrue(sent.get(i) > sent.get(i - 1), "growing: " + sent);
        }
        assertEquals(content.length, sent.get(sent.size() - 1));
    }
}
