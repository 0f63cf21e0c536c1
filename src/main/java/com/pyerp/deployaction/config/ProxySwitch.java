package com.pyerp.deployaction.config;

import com.pyerp.deployaction.config.DeployConfigFile.Value;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code switch: proxy}: each release starts in the slot that does not serve, on its own loopback port, and Caddy's
 * admin API moves the environment's host names to it once it is healthy; the old slot drains and is stopped.
 *
 * @param hosts the host names the proxy serves for this environment
 * @param admin Caddy's admin API as the server reaches it
 * @param server the Caddy server (in {@code apps.http.servers}) that holds the environment's route
 * @param slotPorts the loopback ports of the two slots, blue first
 * @param drainTimeout how long requests in flight on the old slot may take to finish before it is stopped
 * @param assetPath the directory of the static files in the image, bridged across the switch; empty for none
 * @param migratePause how long the proxy holds requests while the old release is stopped for a migration that cannot
 *     overlap; zero for none, where the migration runs while the old release serves
 */
public record ProxySwitch(List<String> hosts, URI admin, String server, List<Integer> slotPorts, Duration drainTimeout,
        String assetPath, Duration migratePause) {

    public static final String DEFAULT_ADMIN = "http://127.0.0.1:2019";
    public static final String DEFAULT_SERVER = "pyerp";
    static final List<Integer> DEFAULT_SLOT_PORTS = List.of(8001, 8002);
    static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);

    /** How a section's {@code switch} key moves traffic to a new release. */
    enum Mode {
        STOP_FIRST, PROXY
    }

    private static final List<String> KEYS = List.of("proxy-hosts", "proxy-admin", "proxy-server", "slot-ports",
            "drain-timeout", "asset-path", "migrate-pause");

    public ProxySwitch {
        hosts = List.copyOf(hosts);
        slotPorts = List.copyOf(slotPorts);
    }

    /** Null for {@code switch: stop-first}, the default; the proxy keys are refused there. */
    static ProxySwitch read(EnvironmentSection s, String url, boolean migrates) {
        Mode mode = s.get("switch", v -> Choices.named(Mode.class, s.text(v)).orElseThrow(() -> s.invalid(v, "switch",
                "'" + s.text(v) + "' must be stop-first or proxy")), Mode.STOP_FIRST);
        if (mode == Mode.STOP_FIRST) {
            for (String key : KEYS) {
                if (s.has(key)) {
                    throw s.invalid(s.get(key, v -> v, null), key, "applies only with switch: proxy; set switch: proxy"
                            + " or remove it");
                }
            }
            return null;
        }
        List<String> hosts = s.get("proxy-hosts", DeployTargets::items, defaultHosts(url));
        if (hosts.isEmpty()) {
            throw s.missing("has switch: proxy but no host names for the proxy to serve. Add 'proxy-hosts:"
                    + " [erp.example.com]' or 'url: https://erp.example.com' to its section");
        }
        for (String host : hosts) {
            if (!host.matches("(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*")) {
                throw s.invalid(s.get("proxy-hosts", v -> v, null), "proxy-hosts", "'" + host + "' must be a host"
                        + " name such as erp.example.com or *.example.com, without a scheme, port or path");
            }
        }
        URI admin = s.get("proxy-admin", v -> admin(s, v), URI.create(DEFAULT_ADMIN));
        String server = s.get("proxy-server", v -> s.matching(v, "[A-Za-z0-9_-]{1,64}", "the name of a Caddy server:"
                + " letters, digits, '-' and '_'"), DEFAULT_SERVER);
        List<Integer> ports = s.get("slot-ports", v -> ports(s, v), DEFAULT_SLOT_PORTS);
        Duration drain = s.get("drain-timeout", s::duration, DEFAULT_DRAIN_TIMEOUT);
        String assets = s.get("asset-path", v -> {
            String path = s.text(v);
            if (!path.matches("(/[A-Za-z0-9._@+-]+)+") || path.matches(".*/\\.{1,2}(/.*)?")) {
                throw s.invalid(v, "asset-path", "'" + path + "' must be the absolute directory of the static files in"
                        + " the image, such as /app/staticfiles");
            }
            return path;
        }, "");
        Duration pause = s.get("migrate-pause", v -> {
            if (!migrates) {
                throw s.invalid(v, "migrate-pause", "holds requests around the migration, and there is no migrate-command;"
                        + " set migrate-command or remove it");
            }
            return s.duration(v);
        }, Duration.ZERO);
        return new ProxySwitch(hosts, admin, server, ports, drain, assets, pause);
    }

    private static List<String> defaultHosts(String url) {
        try {
            String host = url.isEmpty() ? null : new URI(url).getHost();
            return host == null ? List.of() : List.of(host);
        } catch (URISyntaxException e) {
            return List.of();
        }
    }

    private static URI admin(EnvironmentSection s, Value value) {
        String text = s.text(value);
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            uri = null;
        }
        if (uri != null && uri.getRawUserInfo() != null) {
            throw s.invalid(value, "proxy-admin", "must not hold a user name or password, which would show in the"
                    + " server's process list; reach Caddy's admin API on loopback, such as " + DEFAULT_ADMIN);
        }
        if (uri == null || !"http".equals(uri.getScheme()) || uri.getHost() == null
                || (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/"))) {
            throw s.invalid(value, "proxy-admin", "'" + text + "' must be the http:// address of Caddy's admin API as"
                    + " the server reaches it, such as " + DEFAULT_ADMIN);
        }
        return URI.create("http://" + uri.getRawAuthority());
    }

    private static List<Integer> ports(EnvironmentSection s, Value value) {
        List<String> items = DeployTargets.items(value);
        List<Integer> ports = new ArrayList<>();
        for (String item : items) {
            ports.add(item.matches("\\d{1,5}") ? Integer.parseInt(item) : -1);
        }
        if (ports.size() != 2 || ports.get(0).equals(ports.get(1)) || ports.stream().anyMatch(p -> p < 1 || p > 65535)) {
            throw s.invalid(value, "slot-ports", "'" + String.join(", ", items) + "' must be two different ports, such"
                    + " as [8001, 8002], one for each slot");
        }
        return ports;
    }
}
