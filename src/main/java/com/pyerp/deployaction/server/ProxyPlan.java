package com.pyerp.deployaction.server;

import com.pyerp.deployaction.action.JsonValue;
import com.pyerp.deployaction.config.ProxySwitch;
import com.pyerp.deployaction.config.SetupTarget;
import com.pyerp.deployaction.server.Step.Outcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The reverse proxy of {@code proxy: caddy}, planned from the probe like every other step: the distribution's
 * {@code caddy} and {@code curl}; under systemd, Caddy run from {@code caddy-api.service}, which resumes what the admin
 * API last saved, so that the routes the deploys add survive a restart, instead of the Caddyfile unit
 * {@code caddy.service}; and in the admin API the HTTP server the deploys' routes go in, on :443, where Caddy gets
 * the certificates for their host names and redirects :80 to https.
 */
final class ProxyPlan {

    /** The server for the deploys' routes. */
    static final String SERVER = "{\"listen\":[\":443\"]}";

    /**
     * {@code sh -c ADD_SERVER add-server ADMIN NAME}, the server's JSON on stdin: waits up to 30 s for the admin API,
     * then, unless its configuration has the server NAME, adds it at the deepest part of {@code apps/http/servers}
     * that exists (the admin API walks no missing part), so that nothing already there is replaced. An admin API that
     * stops answering fails the run before anything is written.
     */
    static final String ADD_SERVER = """
            set -eu
            admin=$1 name=$2
            server=$(cat)
            out=$(mktemp)
            trap 'rm -f "$out"' EXIT
            get() { curl -sS --noproxy '*' --max-time 20 -o "$out" -w '%{http_code}' "$admin/config/$1" 2>/dev/null || true; }
            tries=0
            while [ "$(get '')" = 000 ]; do
              tries=$((tries + 1))
              [ "$tries" -lt 30 ] || { echo "Caddy's admin API at $admin does not answer" >&2; exit 1; }
              sleep 1
            done
            has() {
              code=$(get "$1")
              [ "$code" != 000 ] || { echo "Caddy's admin API at $admin stopped answering" >&2; exit 1; }
              [ "$code" = 200 ] && [ "$(cat "$out")" != null ]
            }
            if has "apps/http/servers/$name"; then echo "Caddy has the server $name already"; exit 0; fi
            if has apps/http/servers; then path=apps/http/servers/$name body=$server
            elif has apps/http; then path=apps/http/servers body="{\\"$name\\":$server}"
            elif has apps; then path=apps/http body="{\\"servers\\":{\\"$name\\":$server}}"
            elif has ''; then path=apps body="{\\"http\\":{\\"servers\\":{\\"$name\\":$server}}}"
            else path='' body="{\\"apps\\":{\\"http\\":{\\"servers\\":{\\"$name\\":$server}}}}"
            fi
            code=$(printf '%s' "$body" | curl -sS --noproxy '*' --max-time 20 -o "$out" -w '%{http_code}' -X POST \\
              -H 'Content-Type: application/json' --data-binary @- "$admin/config/$path" || true)
            [ "$code" = 200 ] || { echo "Caddy refused the server $name ($code): $(cat "$out")" >&2; exit 1; }
            echo "added the server $name to Caddy"
            """;

    private ProxyPlan() {}

    static List<Step> steps(SetupTarget target, ServerState state) {
        if (target.proxy() == SetupTarget.Proxy.NONE) {
            return List.of(new Step("proxy", Outcome.SKIPPED, "proxy: none", List.of()));
        }
        return List.of(caddy(state), server(state));
    }

    /** Why Caddy is not running yet, for a notice, when there is no service manager to start it. */
    static Optional<String> notStarted(SetupTarget target, ServerState state) {
        if (target.proxy() == SetupTarget.Proxy.NONE || state.serviceManager()) {
            return Optional.empty();
        }
        return Optional.of("There is no service manager, so setup-server did not start Caddy. Before a deploy with"
                + " switch: proxy, start it with `caddy run --resume` (or its unit, caddy-api.service), and give its"
                + " admin API at " + ProxySwitch.DEFAULT_ADMIN + " an HTTP server " + ProxySwitch.DEFAULT_SERVER
                + " that listens on :443.");
    }

    static Step caddy(ServerState state) {
        ServerState.Caddy caddy = state.caddy();
        boolean install = caddy.version().isEmpty();
        List<String> packages = new ArrayList<>();
        if (install) {
            packages.add("caddy");
        }
        if (!caddy.curl()) {
            packages.add("curl");
        }
        List<Action> actions = new ArrayList<>(SetupPlan.aptInstall(packages));
        List<String> detail = new ArrayList<>(List.of(packages.isEmpty() ? "caddy " + caddy.version() + ", curl"
                : "apt-get install " + String.join(" ", packages)));
        if (!state.serviceManager()) {
            detail.add("no service manager, so Caddy was not started");
        } else {
            // The package starts the Caddyfile unit, whose Caddy holds the admin API's port: stop it first.
            if (install || !caddy.service().off()) {
                actions.add(Action.root("systemctl", "disable", "--now", "caddy.service"));
                detail.add("systemctl disable --now caddy.service");
            }
            if (install || !caddy.apiService().on()) {
                actions.add(Action.root("systemctl", "enable", "--now", "caddy-api.service"));
                detail.add("systemctl enable --now caddy-api.service");
            } else {
                detail.add("caddy-api.service enabled and running");
            }
        }
        Outcome outcome = install ? Outcome.CREATED : actions.isEmpty() ? Outcome.UNCHANGED : Outcome.CHANGED;
        return new Step("proxy", outcome, String.join("; ", detail), actions);
    }

    static Step server(ServerState state) {
        String name = ProxySwitch.DEFAULT_SERVER;
        String admin = "Caddy's admin API at " + ProxySwitch.DEFAULT_ADMIN;
        if (!state.serviceManager()) {
            return new Step("proxy server", Outcome.SKIPPED, "no service manager to run Caddy, so " + admin
                    + " was not asked for the server " + name, List.of());
        }
        String existing = state.caddy().server();
        if (existing.isEmpty()) {
            return new Step("proxy server", Outcome.CREATED, "the server " + name + " on :443 in " + admin
                    + ", unless it has one", List.of(new Action(Action.Who.APP, List.of("sh", "-c", ADD_SERVER,
                    "add-server", ProxySwitch.DEFAULT_ADMIN, name), SERVER.getBytes(StandardCharsets.UTF_8))));
        }
        List<String> listen = listen(existing);
        return new Step("proxy server", Outcome.UNCHANGED, admin + " has the server " + name + " on "
                + (listen.isEmpty() ? "no address" : String.join(", ", listen))
                + (listen.contains(":443") ? "" : ", not :443: kept as it is"), List.of());
    }

    private static List<String> listen(String serverJson) {
        try {
            List<String> addresses = new ArrayList<>();
            JsonValue.parse(serverJson).path("listen").forEach(address -> addresses.add(address.asText("")));
            return addresses;
        } catch (IOException e) {
            return List.of();
        }
    }
}
