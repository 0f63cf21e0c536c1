package com.pyerp.deployaction.server;

import com.pyerp.deployaction.action.ActionException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The server's {@code /etc/os-release}. Debian and Ubuntu are supported: both package Docker as
 * {@code docker.io}; Compose comes as {@code docker-compose} (Debian; a v1 binary in 12, the v2 plugin from 13)
 * or {@code docker-compose-v2} (Ubuntu 22.04 and later).
 */
public record OsRelease(String id, String versionId, String prettyName) {

    public static OsRelease parse(String text) {
        Map<String, String> values;
        try {
            values = DotEnv.parse(text, "/etc/os-release").asMap();
        } catch (IllegalArgumentException e) {
            values = Map.of();
        }
        String id = values.getOrDefault("ID", "");
        String pretty = values.getOrDefault("PRETTY_NAME", "");
        return new OsRelease(id, values.getOrDefault("VERSION_ID", ""),
                pretty.isEmpty() ? (id.isEmpty() ? "an unknown system" : id) : pretty);
    }

    /** This release, or an error saying which systems are supported. */
    public OsRelease requireSupported(String host) {
        if (!id.equals("debian") && !id.equals("ubuntu")) {
            throw new ActionException("Unsupported server OS", host + " runs " + prettyName + " (ID="
                    + (id.isEmpty() ? "none" : id) + " in /etc/os-release). setup-server supports Debian and Ubuntu"
                    + " only; nothing was changed on the server. Provision it by hand or use a Debian or Ubuntu server.");
        }
        return this;
    }

    /** The distribution packages that provide Docker and Compose. */
    public List<String> dockerPackages() {
        return List.of("docker.io", id.equals("ubuntu") && atLeast(22) ? "docker-compose-v2" : "docker-compose");
    }

    private boolean atLeast(int major) {
        String first = Arrays.stream(versionId.split("\\.")).findFirst().orElse("");
        return first.matches("\\d+") && Integer.parseInt(first) >= major;
    }
}
