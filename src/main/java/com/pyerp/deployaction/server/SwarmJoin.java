package com.pyerp.deployaction.server;

import com.pyerp.deployaction.action.Workflow;
import com.pyerp.deployaction.ssh.CommandResult;
import com.pyerp.deployaction.ssh.OutputListener;
import com.pyerp.deployaction.ssh.RemoteShell;
import java.time.Duration;

/**
 * The command that joins a worker to a manager's swarm, for the log. Its token lets any machine join, so it is a
 * secret: read with no output shown, masked before anything could print it, and never in an argv, the summary or an
 * output. The log shows the command with the token masked, and where to read it.
 */
final class SwarmJoin {

    private static final Duration TIMEOUT = Duration.ofMinutes(1);

    private SwarmJoin() {}

    static void print(Workflow workflow, RemoteShell shell, Privilege privilege, String host, ServerState.Swarm swarm) {
        Action read = SwarmPlan.joinToken(privilege);
        CommandResult result = shell.execute(privilege.command(read, TIMEOUT), OutputListener.SILENT);
        String token = result.stdout().strip();
        workflow.mask(token);
        if (!result.succeeded() || token.isEmpty() || token.contains("\n")) {
            workflow.warning("No swarm join token", host + ": `docker swarm join-token -q worker` failed"
                    + (result.succeeded() ? "" : " (" + RemoteShell.lastLines(result.stderr(), 2) + ")")
                    + ". Run `docker swarm join-token worker` on the server for the command that joins a worker.");
            return;
        }
        workflow.info("To add a worker to the swarm of " + host + ", run this on the new node (the token is masked"
                + " here; `docker swarm join-token worker` on " + host + " prints it):");
        workflow.info("  docker swarm join --token " + token + " " + SwarmPlan.joinAddress(swarm));
    }
}
