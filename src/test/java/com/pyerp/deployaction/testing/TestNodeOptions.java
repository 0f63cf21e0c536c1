package com.pyerp.deployaction.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a {@link TestNode} runs, mounts and forwards; from {@link TestNode#options}. */
public final class TestNodeOptions {
    final String name;
    final int sshPort;
    boolean proxy;
    final List<Path> privateMountPoints = new ArrayList<>();
    final Map<Integer, Integer> forwards = new LinkedHashMap<>();
    Map<String, String> sshEnvironment = Map.of();

    TestNodeOptions(String name, int sshPort) {
        if (!name.matches("[a-z][a-z0-9]{0,9}")) {
            fail("a node name is 1-10 lower-case letters and digits (it names network devices): " + name);
        }
        this.name = name;
        this.sshPort = sshPort;
    }

    /** Runs the node's own Caddy: admin on 127.0.0.1:2019, HTTP server {@code pyerp} on 127.0.0.1:18680. */
    public TestNodeOptions withProxy() {
        proxy = true;
        return this;
    }

    /**
     * Mounts a new empty directory of the node's (mode 777) over {@code mountPoint} inside the node, so that
     * two nodes have separate files there; {@link TestNode#privateDirectory} says where the JVM finds them.
     */
    public TestNodeOptions withPrivateDirectory(Path mountPoint) {
        privateMountPoints.add(mountPoint.toAbsolutePath().normalize());
        return this;
    }

    /** Relays 127.0.0.1:{@code rootPort} of the JVM's namespace to the node's 127.0.0.1:{@code nodePort}. */
    public TestNodeOptions forward(int rootPort, int nodePort) {
        forwards.put(rootPort, nodePort);
        return this;
    }

    /** Variables the node's sshd gives every session (SetEnv). */
    public TestNodeOptions withSshEnvironment(Map<String, String> environment) {
        sshEnvironment = Map.copyOf(environment);
        return this;
    }
}
