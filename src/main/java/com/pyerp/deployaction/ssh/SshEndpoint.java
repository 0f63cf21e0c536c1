package com.pyerp.deployaction.ssh;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A user on a server: {@code user@host:port}. Parsed from {@code [user@]host[:port]}, IPv6 as {@code [::1]:22}. */
public record SshEndpoint(String user, String host, int port) {

    private static final Pattern SPEC = Pattern.compile(
            "(?:([A-Za-z0-9._][A-Za-z0-9._-]*)@)?(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9._-]+)(?::(\\d{1,5}))?");

    public SshEndpoint {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not from 1 to 65535");
        }
    }

    /**
     * @throws IllegalArgumentException when {@code spec} is not {@code [user@]host[:port]}
     */
    public static SshEndpoint parse(String spec, String defaultUser, int defaultPort) {
        Matcher matcher = SPEC.matcher(spec.strip());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("'" + spec.strip() + "' is not [user@]host[:port]");
        }
        String host = matcher.group(2);
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = matcher.group(3) == null ? defaultPort : Integer.parseInt(matcher.group(3));
        return new SshEndpoint(matcher.group(1) == null ? defaultUser : matcher.group(1), host, port);
    }

    @Override
    public String toString() {
        return user + "@" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
