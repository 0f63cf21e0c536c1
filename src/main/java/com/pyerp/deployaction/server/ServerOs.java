package com.pyerp.deployaction.server;

import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.os.OsRelease;
import java.util.Arrays;
import java.util.List;

/**
 * What setup-server makes of a server's OS release. Debian and Ubuntu are supported: both package Docker as
 * {@code docker.io}; Compose comes as {@code docker-compose} (Debian; a v1 binary in 12, the v2 plugin from 13)
 * or {@code docker-compose-v2} (Ubuntu 22.04 and later).
 */
final class ServerOs {

    private ServerOs() {}

    /** The release, or an error saying which systems are supported. */
    static OsRelease requireSupported(OsRelease os, String host) {
        if (!os.id().equals("debian") && !os.id().equals("ubuntu")) {
            throw new ActionException("Unsupported server OS", host + " runs " + os.describe() + " (ID="
                    + (os.id().isEmpty() ? "none" : os.id()) + " in /etc/os-release). setup-server supports Debian and"
                    + " Ubuntu only; nothing was changed on the server. Provision it by hand or use a Debian or Ubuntu"
                    + " server.");
        }
        return os;
    }

    /** The distribution packages that provide Docker and Compose. */
    static List<String> dockerPackages(OsRelease os) {
        return List.of("docker.io", os.id().equals("ubuntu") && atLeast(os, 22) ? "docker-compose-v2" : "docker-compose");
    }

    private static boolean atLeast(OsRelease os, int major) {
        String first = Arrays.stream(os.versionId().split("\\.")).findFirst().orElse("");
        return first.matches("\\d+") && Integer.parseInt(first) >= major;
    }
}
