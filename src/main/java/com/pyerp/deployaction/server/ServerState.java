package com.pyerp.deployaction.server;

import com.pyerp.deployaction.config.ProxySwitch;
import com.pyerp.deployaction.config.SetupTarget;
import com.pyerp.deployaction.os.OsRelease;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything setup-server needs to know about a server before it changes anything, read by one command
 * ({@link #PROBE}) and parsed here without SSH. File contents travel base64-encoded, byte for byte.
 *
 * @param dockerDaemon the version of the Docker daemon that answers, empty when none does
 * @param dockerService under systemd, {@code is-enabled} and {@code is-active} of docker, e.g. "enabled active"
 * @param user the app user's passwd entry, or null when it does not exist
 * @param files the app user's files and the .env files, by path, absent when missing
 * @param directories owner, group and mode of each app directory that exists, by path
 * @param links the symbolic links among app-dir, its parents and its subdirectories
 * @param parent app-dir's parent, or its nearest parent that exists: owner, mode and path
 * @param caddy Caddy and curl, read only with {@code proxy: caddy}
 * @param swarm Docker's swarm membership, read only with {@code swarm: init}
 */
public record ServerState(OsRelease os, ServerFacts facts, String docker, String compose,
        String dockerDaemon, boolean serviceManager, String dockerService, boolean dockerGroup, Account user, Map<String, FileState> files,
        Map<String, FileState> directories, List<String> links, Parent parent, List<String> hostKeys, Caddy caddy,
        Swarm swarm) {

    /**
     * Caddy as the probe found it.
     *
     * @param version what {@code caddy version} says, empty when Caddy is not installed
     * @param service under systemd, {@code caddy.service}, the unit that runs the Caddyfile
     * @param apiService under systemd, {@code caddy-api.service}, the unit that resumes what the admin API saved
     * @param server under systemd, the admin API's JSON of the server for the deploys' routes, empty when Caddy has
     *     none or does not answer
     */
    public record Caddy(String version, boolean curl, Unit service, Unit apiService, String server) {}

    /**
     * The swarm part of {@code docker info}, all empty when no daemon answered.
     *
     * @param state {@code LocalNodeState}: inactive, pending, active, error or locked
     * @param manager {@code ControlAvailable}: this node is a manager
     * @param nodeAddress the address the node advertises, empty outside a swarm
     * @param managers the managers' addresses with their ports, as workers reach them
     * @param routeSource the source address of the server's default route, for the address a new swarm advertises
     */
    public record Swarm(String state, boolean manager, String nodeAddress, List<String> managers, String routeSource) {
        public Swarm {
            managers = List.copyOf(managers);
        }

        static Swarm parse(String info, String routeSource) {
            List<String> fields = List.of(info.strip().split("\\s+"));
            return fields.size() < 2 ? new Swarm("", false, "", List.of(), routeSource.strip())
                    : new Swarm(fields.get(0), fields.get(1).equals("true"), fields.size() > 2 ? fields.get(2) : "",
                            fields.subList(Math.min(3, fields.size()), fields.size()), routeSource.strip());
        }
    }

    /** A systemd unit's {@code is-enabled} and {@code is-active}, each {@code none} when systemctl says nothing. */
    public record Unit(String enabled, String active) {
        static Unit parse(String text) {
            String[] fields = text.strip().split("\\s+");
            return fields.length == 2 ? new Unit(fields[0], fields[1]) : new Unit("none", "none");
        }

        /** Enabled and running. */
        boolean on() {
            return enabled.equals("enabled") && active.equals("active");
        }

        /** Neither enabled nor running (nor starting). */
        boolean off() {
            return !enabled.equals("enabled") && List.of("inactive", "failed", "none").contains(active);
        }
    }

    /** The directory app-dir is made in. */
    public record Parent(String path, String owner, String mode) {
        /** Whether others than its owner may write there, and so could swap app-dir for a link. */
        boolean writableByOthers() {
            return !mode.matches("[0-7]{1,4}") || (Integer.parseInt(mode, 8) & 022) != 0;
        }
    }

    /** A passwd entry with the user's groups. */
    public record Account(String name, String home, String primaryGroup, List<String> groups) {}

    /** Owner, group, octal mode and (for files) content. */
    public record FileState(String owner, String group, String mode, byte[] content) {
        public String text() {
            return new String(content, StandardCharsets.UTF_8);
        }
    }

    /**
     * The probe: {@code sh -c PROBE probe APP_USER APP_DIR CADDY_ADMIN CADDY_SERVER SWARM}, see {@link #probe}.
     * Read-only; prints one {@code @@pyerp:NAME} line before each part.
     */
    public static final String PROBE = String.join("\n",
            "part() { printf '\\n@@pyerp:%s\\n' \"$1\"; }",
            "file() { if [ -f \"$2\" ]; then part \"file:$1\"; stat -c '%U %G %a' \"$2\"; base64 -w0 <\"$2\"; fi; }",
            "part os-release; cat /etc/os-release 2>/dev/null || cat /usr/lib/os-release 2>/dev/null",
            "part hostname; hostname 2>/dev/null || cat /etc/hostname 2>/dev/null",
            "part addresses; hostname -I 2>/dev/null",
            "part docker; command -v docker >/dev/null 2>&1 && docker --version 2>/dev/null",
            "part compose; if docker compose version >/dev/null 2>&1; then docker compose version;"
                    + " elif command -v docker-compose >/dev/null 2>&1; then docker-compose --version 2>/dev/null; fi",
            "part docker-daemon; command -v docker >/dev/null 2>&1 && timeout 10 docker version --format"
                    + " '{{.Server.Version}}' 2>/dev/null",
            "part service-manager; [ -d /run/systemd/system ] && echo systemd",
            "part docker-service; [ -d /run/systemd/system ] && systemctl is-enabled docker 2>/dev/null;"
                    + " [ -d /run/systemd/system ] && systemctl is-active docker 2>/dev/null",
            "part docker-group; getent group docker",
            "part user; getent passwd \"$1\" && id -gn \"$1\" && id -nG \"$1\"",
            "home=$(getent passwd \"$1\" | cut -d: -f6)",
            "if [ -n \"$home\" ]; then file authorized_keys \"$home/.ssh/authorized_keys\";"
                    + " file docker_config \"$home/.docker/config.json\"; fi",
            "for d in \"$2\" \"$2/releases\" \"$2/shared\" \"$2/backups\" \"$2/logs\"; do",
            "  if [ -d \"$d\" ]; then part \"dir:$d\"; stat -c '%U %G %a' \"$d\"; fi",
            "done",
            "part links; p=$2; while [ \"$p\" != / ] && [ -n \"$p\" ]; do [ -L \"$p\" ] && echo \"$p\"; p=$(dirname \"$p\"); done;"
                    + " for d in releases shared backups logs; do [ -L \"$2/$d\" ] && echo \"$2/$d\"; done",
            "part parent; p=$(dirname \"$2\"); while [ ! -e \"$p\" ]; do p=$(dirname \"$p\"); done; stat -c '%U %a %n' \"$p\"",
            "file env \"$2/.env\"",
            "file env_source \"$2/.env.source\"",
            "part host-keys; cat /etc/ssh/ssh_host_*_key.pub 2>/dev/null",
            "if [ -n \"$3\" ]; then",
            "  part caddy; command -v caddy >/dev/null 2>&1 && caddy version 2>/dev/null",
            "  part curl; command -v curl",
            "  unit() { e=$(systemctl is-enabled \"$1\" 2>/dev/null); a=$(systemctl is-active \"$1\" 2>/dev/null);"
                    + " echo \"${e:-none} ${a:-none}\"; }",
            "  if [ -d /run/systemd/system ]; then",
            "    part caddy-service; unit caddy.service",
            "    part caddy-api-service; unit caddy-api.service",
            "    part caddy-server; command -v curl >/dev/null 2>&1 && curl -fsS --noproxy '*' --max-time 10"
                    + " \"$3/config/apps/http/servers/$4\" 2>/dev/null",
            "  fi",
            "fi",
            // Without a daemon, docker info still prints the template (" false "), and exits 1. The node address is
            // empty outside a swarm, so it comes after the two fields that are never empty.
            "if [ -n \"$5\" ]; then",
            "  part swarm; command -v docker >/dev/null 2>&1 && info=$(timeout 10 docker info --format"
                    + " '{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}} {{.Swarm.NodeAddr}}{{range"
                    + " .Swarm.RemoteManagers}} {{.Addr}}{{end}}' 2>/dev/null) && echo \"$info\"",
            "  part route-source; { ip -o route get 1.1.1.1 || ip -o route get 2606:4700:4700::1111; } 2>/dev/null"
                    + " | sed -n 's/.* src \\([^ ]*\\).*/\\1/p'",
            "fi",
            "exit 0");

    /** The probe's argv for {@code target}: Caddy's part only with {@code proxy: caddy}, the swarm's only with {@code swarm: init}. */
    static List<String> probe(SetupTarget target) {
        boolean caddy = target.proxy() == SetupTarget.Proxy.CADDY;
        return List.of("sh", "-c", PROBE, "probe", target.appUser(), target.appDir(),
                caddy ? ProxySwitch.DEFAULT_ADMIN : "", caddy ? ProxySwitch.DEFAULT_SERVER : "",
                target.swarm() == SetupTarget.Swarm.INIT ? "swarm" : "");
    }

    public static ServerState parse(String output) {
        Map<String, String> parts = new LinkedHashMap<>();
        String name = null;
        StringBuilder body = new StringBuilder();
        for (String line : output.split("\n", -1)) {
            if (line.startsWith("@@pyerp:")) {
                if (name != null) {
                    parts.put(name, body.toString().strip());
                }
                name = line.substring(8);
                body.setLength(0);
            } else if (name != null) {
                body.append(line).append('\n');
            }
        }
        if (name != null) {
            parts.put(name, body.toString().strip());
        }
        Map<String, FileState> files = new LinkedHashMap<>();
        Map<String, FileState> directories = new LinkedHashMap<>();
        parts.forEach((part, text) -> {
            if (part.startsWith("file:")) {
                String[] lines = text.split("\n", 2);
                files.put(part.substring(5), state(lines[0], Base64.getDecoder().decode(lines.length > 1
                        ? lines[1].strip() : "")));
            } else if (part.startsWith("dir:")) {
                directories.put(part.substring(4), state(text, new byte[0]));
            }
        });
        return new ServerState(
                OsRelease.parse(parts.getOrDefault("os-release", "")),
                ServerFacts.parse(parts.getOrDefault("hostname", ""), parts.getOrDefault("addresses", "")),
                parts.getOrDefault("docker", ""),
                parts.getOrDefault("compose", ""),
                parts.getOrDefault("docker-daemon", ""),
                parts.getOrDefault("service-manager", "").equals("systemd"),
                String.join(" ", parts.getOrDefault("docker-service", "").lines().toList()),
                !parts.getOrDefault("docker-group", "").isEmpty(),
                account(parts.getOrDefault("user", "")),
                files,
                directories,
                parts.getOrDefault("links", "").lines().filter(line -> !line.isBlank()).toList(),
                parent(parts.getOrDefault("parent", "")),
                parts.getOrDefault("host-keys", "").lines().filter(line -> !line.isBlank()).toList(),
                new Caddy(parts.getOrDefault("caddy", ""), !parts.getOrDefault("curl", "").isEmpty(),
                        Unit.parse(parts.getOrDefault("caddy-service", "")),
                        Unit.parse(parts.getOrDefault("caddy-api-service", "")),
                        parts.getOrDefault("caddy-server", "").startsWith("{") ? parts.get("caddy-server") : ""),
                Swarm.parse(parts.getOrDefault("swarm", ""), parts.getOrDefault("route-source", "")));
    }

    public FileState file(String name) {
        return files.get(name);
    }

    private static FileState state(String statLine, byte[] content) {
        String[] fields = statLine.strip().split("\\s+");
        return new FileState(fields[0], fields.length > 1 ? fields[1] : "", fields.length > 2 ? fields[2] : "", content);
    }

    private static Parent parent(String statLine) {
        String[] fields = statLine.strip().split(" ", 3);
        return fields.length < 3 ? new Parent("", "", "") : new Parent(fields[2], fields[0], fields[1]);
    }

    private static Account account(String text) {
        List<String> lines = text.lines().toList();
        if (lines.size() < 3) {
            return null;
        }
        String[] passwd = lines.get(0).split(":", -1);
        return new Account(passwd[0], passwd.length > 5 ? passwd[5] : "", lines.get(1).strip(),
                List.of(lines.get(2).strip().split("\\s+")));
    }
}
