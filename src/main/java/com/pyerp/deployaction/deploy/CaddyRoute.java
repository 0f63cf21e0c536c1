package com.pyerp.deployaction.deploy;

import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.config.ProxySwitch;
import com.pyerp.deployaction.ssh.CommandResult;
import com.pyerp.deployaction.ssh.OutputListener;
import com.pyerp.deployaction.ssh.RemoteCommand;
import com.pyerp.deployaction.ssh.RemoteShell;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalInt;

/** One app's route in Caddy, through its admin API with curl on the server: the adapter over {@link ProxyCommands}. */
final class CaddyRoute {

    private static final Duration DRAIN_POLL = Duration.ofMillis(200);

    private final RemoteShell shell;
    private final ProxySwitch proxy;
    private final String app;
    private final HostLog log;

    CaddyRoute(RemoteShell shell, ProxySwitch proxy, String app, HostLog log) {
        this.shell = shell;
        this.proxy = proxy;
        this.app = app;
        this.log = log;
    }

    /** Before the lock: Caddy's admin API answers and has the configured server. */
    static void requireServer(RemoteShell server, ProxySwitch proxy, HostLog log) {
        ProxyCommands.Answer answer = admin(server, ProxyCommands.server(proxy), proxy, log);
        if (!answer.ok() || ProxyCommands.isNull(answer.body())) {
            throw new ActionException("Proxy not ready", log.host() + ": Caddy's admin API at " + proxy.admin()
                    + (answer.ok() ? " has no server '" + proxy.server() + "'." : " answered " + answer.status() + ".")
                    + " Run the action with command: setup-server and proxy: caddy, or set proxy-admin and proxy-server"
                    + " to your Caddy's.");
        }
        log.info("Caddy at " + proxy.admin() + ": server '" + proxy.server() + "' found");
    }

    /** The port the route sends requests to first, one of slot-ports; empty when there is no route yet. */
    OptionalInt servingPort() {
        ProxyCommands.Answer route = admin(shell, ProxyCommands.route(proxy, app), proxy, log);
        if (route.status() == 404) {
            return OptionalInt.empty();
        }
        if (!route.ok()) {
            throw new ActionException("Proxy not ready", log.host() + ": Caddy's admin API answered " + route.status()
                    + " for the route " + ProxyCommands.routeId(app) + ": " + RemoteShell.lastLines(route.body(), 1));
        }
        OptionalInt port = ProxyCommands.servingPort(route.body());
        if (port.isEmpty()) {
            throw new ActionException("Proxy not ready", log.host() + ": Caddy's route " + ProxyCommands.routeId(app)
                    + " was not made by this action; remove it.");
        }
        if (!proxy.slotPorts().contains(port.getAsInt())) {
            throw new ActionException("Invalid deploy-config", log.host() + ": Caddy's route " + ProxyCommands.routeId(app)
                    + " serves from port " + port.getAsInt() + ", which is not one of slot-ports " + proxy.slotPorts()
                    + ". Changing slot-ports would start a release on the serving slot: keep " + port.getAsInt()
                    + " in slot-ports for one more deploy.");
        }
        return port;
    }

    /** Replaces the route, or adds it when {@code exists} is false, in one change. */
    void set(String route, boolean exists) {
        ProxyCommands.Answer answer;
        if (exists) {
            answer = admin(shell, ProxyCommands.replaceRoute(proxy, app, route), proxy, log);
        } else {
            ProxyCommands.Answer routes = admin(shell, ProxyCommands.routes(proxy), proxy, log);
            answer = admin(shell, ProxyCommands.addRoute(proxy, route, routes.ok() ? routes.body() : "null"), proxy, log);
        }
        if (!answer.ok()) {
            throw new ActionException("Proxy switch failed", log.host() + ": Caddy refused the route change ("
                    + answer.status() + ": " + RemoteShell.lastLines(answer.body(), 2) + "). The proxy still serves the"
                    + " old version.");
        }
    }

    /** Waits until Caddy counts no request in flight to {@code port}, twice in a row, for at most drain-timeout. */
    void drain(int port) {
        String address = ProxyCommands.upstream(port);
        Instant started = Instant.now();
        Instant deadline = started.plus(proxy.drainTimeout());
        int zeros = 0;
        int inFlight = 0;
        while (zeros < 2) {
            HostDeploy.sleep(DRAIN_POLL);
            ProxyCommands.Answer answer = admin(shell, ProxyCommands.upstreams(proxy), proxy, log);
            // An answer that cannot be read proves nothing: only Caddy's own count of zero drains.
            inFlight = answer.ok() ? ProxyCommands.inFlight(answer.body(), address) : -1;
            zeros = inFlight == 0 ? zeros + 1 : 0;
            if (zeros < 2 && Instant.now().isAfter(deadline)) {
                log.warning("Drain timed out", (inFlight < 0 ? "Caddy did not say how many" : inFlight)
                        + " requests were still in flight to the old slot at "
                        + address + " after drain-timeout (" + proxy.drainTimeout().toSeconds() + " s); it is stopped"
                        + " anyway. Raise drain-timeout if your requests take that long.");
                return;
            }
        }
        log.info("old slot drained in " + Duration.between(started, Instant.now()).toMillis() + " ms");
    }

    private static ProxyCommands.Answer admin(RemoteShell on, RemoteCommand command, ProxySwitch proxy, HostLog log) {
        CommandResult result = on.execute(command, OutputListener.SILENT);
        if (!result.succeeded()) {
            throw new ActionException("Proxy not ready", log.host() + ": Caddy's admin API at " + proxy.admin()
                    + " does not answer (" + RemoteShell.lastLines(result.stderr(), 1) + "). Start Caddy (systemctl start"
                    + " caddy-api), or set proxy-admin to where its admin API listens.");
        }
        return ProxyCommands.Answer.of(result.stdout());
    }
}
