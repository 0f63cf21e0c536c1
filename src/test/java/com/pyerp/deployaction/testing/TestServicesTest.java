package com.pyerp.deployaction.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class TestServicesTest {

    @TempDir
    Path dir;

    @Test
    void aMissingServerFailsUnderCi() {
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> TestServices.require(dir, true, "REGISTRY"));
        assertTrue(e.getMessage().contains("Integration tests never skip under CI."));
    }

    @Test
    void aMissingServerSkipsOutsideCi() {
        assertThrows(TestAbortedException.class, () -> TestServices.require(dir, false, "REGISTRY"));
    }

    @Test
    void aServerThatDoesNotAnswerFailsUnderCi() throws IOException {
        int freePort;
        try (ServerSocket socket = new ServerSocket(0)) {
            freePort = socket.getLocalPort();
        }
        Files.writeString(dir.resolve("services.env"), "REGISTRY=127.0.0.1:" + freePort + "\n");
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> TestServices.require(dir, true, "REGISTRY"));
        assertTrue(e.getMessage().contains("REGISTRY at 127.0.0.1:" + freePort + " does not answer"));
    }

    @Test
    void aRunningServerIsReturned() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Files.writeString(dir.resolve("services.env"), "REGISTRY=127.0.0.1:" + socket.getLocalPort() + "\nSSH_USER=deploy\n");
            assertEquals("deploy", TestServices.require(dir, true, "REGISTRY").get("SSH_USER"));
        }
    }

    @Test
    void aServicesFileWithoutTheFreshServerFailsUnderCiAndSkipsOutside() throws IOException {
        Files.writeString(dir.resolve("services.env"), "SSH_HOST=127.0.0.1\nSSH_PORT=2222\n");
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> TestServices.require(dir, true, "FRESH_SSH"));
        assertTrue(e.getMessage().contains("services.env has no FRESH_SSH"), e.getMessage());
        assertThrows(TestAbortedException.class, () -> TestServices.require(dir, false, "FRESH_SSH"));
    }

    @Test
    void theFreshServerIsOneEndpoint() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Files.writeString(dir.resolve("services.env"), "FRESH_SSH_HOST=127.0.0.1\nFRESH_SSH_PORT=" + socket.getLocalPort()
                    + "\nFRESH_SUDO_USER=admin\n");
            assertEquals("admin", TestServices.require(dir, true, "FRESH_SSH").get("FRESH_SUDO_USER"));
        }
    }
}
