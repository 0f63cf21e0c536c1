package com.pyerp.deployaction.server;

import com.pyerp.deployaction.config.SetupTarget;
import com.pyerp.deployaction.server.Step.Outcome;
import java.util.List;
import java.util.Optional;

/**
 * {@code swarm: init}: the server's Docker engine is a swarm manager. A node outside any swarm starts a single-node
 * one ({@code docker swarm init}); a manager is left as it is; a node that belongs to another swarm without managing
 * it, or whose membership is half done, is refused before anything changes, since only its owner knows what should
 * become of it. The swarm commands run as root, or as the app user (in group docker) when the login has no root,
 * like the probe.
 */
final class SwarmPlan {

    /** The port managers listen on for joining nodes unless the advertise address names another. */
    static final int MANAGER_PORT = 2377;

    /**
     * {@code sh -c INIT swarm-init ADDRESS}: {@code docker swarm init}, whose stdout is dropped on the server because
     * it prints the join command with the token, before anything could mask it. Errors still go to stderr.
     */
    static final String INIT = "docker swarm init --advertise-addr \"$1\" >/dev/null";

    private SwarmPlan() {}

    static Step step(SetupTarget target, ServerState state, Privilege privilege) {
        if (target.swarm() == SetupTarget.Swarm.NONE) {
            return new Step("swarm", Outcome.SKIPPED, "swarm: none", List.of());
        }
        ServerState.Swarm swarm = state.swarm();
        if (state.dockerDaemon().isEmpty() && !state.serviceManager()) {
            return new Step("swarm", Outcome.SKIPPED, "no Docker daemon runs and there is no service manager to start"
                    + " it, so the swarm was not initialised", List.of());
        }
        if (swarm.state().equals("active") && swarm.manager()) {
            return new Step("swarm", Outcome.UNCHANGED, "a swarm manager, advertising " + swarm.nodeAddress(), List.of());
        }
        if (!state.dockerDaemon().isEmpty() && !swarm.state().equals("inactive")) {
            // refusal() stops the run before any change: this is only what a plan made after the run says.
            return new Step("swarm", Outcome.SKIPPED, "not a swarm manager (" + describe(swarm) + ")", List.of());
        }
        Address address = address(target, state);
        return new Step("swarm", Outcome.CREATED, "docker swarm init --advertise-addr " + address.value() + " ("
                + address.origin() + (state.dockerDaemon().isEmpty() ? "), once the docker step started the daemon"
                : ")"), List.of(as(privilege, "sh", "-c", INIT, "swarm-init", address.value())));
    }

    /** Why the server cannot become a swarm manager without its owner's decision, if it cannot. */
    static Optional<String> refusal(SetupTarget target, ServerState state) {
        if (target.swarm() == SetupTarget.Swarm.NONE || state.dockerDaemon().isEmpty() && !state.serviceManager()) {
            return Optional.empty();
        }
        ServerState.Swarm swarm = state.swarm();
        String fix = switch (state.dockerDaemon().isEmpty() ? "inactive" : swarm.state()) {
            case "inactive" -> address(target, state).value().isEmpty() ? "setup-server cannot tell which address the"
                    + " swarm should advertise: the server has no default route and `hostname -I` names no address."
                    + " Set 'swarm-advertise-addr' to the server's address (or network interface) that other nodes"
                    + " reach." : null;
            case "active" -> swarm.manager() ? null : "Docker on it is a worker of another swarm (managers: "
                    + (swarm.managers().isEmpty() ? "unknown" : String.join(", ", swarm.managers())) + "), and"
                    + " setup-server does not move a node between swarms. Run setup-server with swarm: init against a"
                    + " manager of that swarm, or run `docker swarm leave` on this server first.";
            case "pending" -> "Docker on it is still joining a swarm (state pending). Wait until `docker info` says"
                    + " active, or run `docker swarm leave --force` on the server to give up joining, then run again.";
            case "locked" -> "its swarm is locked (autolock). Run `docker swarm unlock` on the server with the swarm's"
                    + " unlock key, then run again.";
            case "error" -> "Docker reports its swarm state as error. See `docker info` on the server; `docker swarm"
                    + " leave --force` leaves that swarm, then run again.";
            case "" -> "`docker info` named no swarm state although the daemon answers. Check `docker info` on the"
                    + " server, then run again.";
            default -> "Docker reports the swarm state '" + swarm.state() + "', which setup-server does not know. Check"
                    + " `docker info` on the server, then run again.";
        };
        return Optional.ofNullable(fix);
    }

    /** What to say when the daemon could not be started here, so that the swarm waits for a hand. */
    static Optional<String> notStarted(SetupTarget target, ServerState state) {
        if (target.swarm() == SetupTarget.Swarm.NONE || !state.dockerDaemon().isEmpty() || state.serviceManager()) {
            return Optional.empty();
        }
        String address = address(target, state).value();
        return Optional.of("There is no service manager, so setup-server did not start the Docker daemon and did not"
                + " make it a swarm manager. Start dockerd (or its unit, docker.service), then run `docker swarm init"
                + " --advertise-addr " + (address.isEmpty() ? "ADDRESS" : address) + "` on the server, or run"
                + " setup-server again.");
    }

    /** The action that prints the token for joining workers, which is a secret: its output is for a mask only. */
    static Action joinToken(Privilege privilege) {
        return as(privilege, "docker", "swarm", "join-token", "-q", "worker");
    }

    /** Where a worker joins the manager: the manager's own entry in the managers' list, or its address and 2377. */
    static String joinAddress(ServerState.Swarm swarm) {
        String node = swarm.nodeAddress();
        return swarm.managers().stream().filter(manager -> manager.startsWith(node + ":")
                || manager.startsWith("[" + node + "]:")).findFirst()
                .orElse((node.contains(":") ? "[" + node + "]" : node) + ":" + MANAGER_PORT);
    }

    /** The address to advertise and where it came from. */
    record Address(String value, String origin) {}

    static Address address(SetupTarget target, ServerState state) {
        if (!target.swarmAdvertiseAddr().isEmpty()) {
            return new Address(target.swarmAdvertiseAddr(), "swarm-advertise-addr");
        }
        if (!state.swarm().routeSource().isEmpty()) {
            return new Address(state.swarm().routeSource(), "the source address of the default route");
        }
        List<String> addresses = state.facts().addresses();
        return new Address(addresses.isEmpty() ? "" : addresses.get(0), "the first address of `hostname -I`");
    }

    private static String describe(ServerState.Swarm swarm) {
        return swarm.state().isEmpty() ? "no swarm state" : "state " + swarm.state()
                + (swarm.state().equals("active") ? ", a worker" : "");
    }

    /** The app user runs docker too, being in group docker. */
    private static Action as(Privilege privilege, String... argv) {
        return new Action(privilege.rootElseApp(), List.of(argv), new byte[0]);
    }
}
