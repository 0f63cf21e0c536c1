package com.pyerp.deployaction.deploy;

import static com.pyerp.deployaction.deploy.DeployCommands.SHORT;

import com.pyerp.deployaction.config.HealthCheck;
import com.pyerp.deployaction.ssh.RemoteCommand;
import java.util.ArrayList;
import java.util.List;

/** What the health wait asks a server: the containers' states, and one request to health-url with curl. */
final class HealthCommands {

    private HealthCommands() {}

    /** One line per container: id, state (running, exited, ...) and health (healthy, unhealthy, starting, or -). */
    static RemoteCommand containerStates(List<String> containerIds) {
        List<String> argv = new ArrayList<>(List.of("docker", "inspect", "--format",
                "{{.Name}} {{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}-{{end}}"));
        argv.addAll(containerIds);
        return RemoteCommand.of(argv).withTimeout(SHORT);
    }

    /** One request with curl on the server: prints the body, a newline and the status code. */
    static RemoteCommand probe(HealthCheck health) {
        List<String> argv = new ArrayList<>(List.of("curl", "-sS", "--noproxy", "*", "--max-time",
                Long.toString(health.requestTimeout().toSeconds()), "-o", "-", "-w", "\\n%{http_code}"));
        if (!health.host().isEmpty()) {
            argv.addAll(List.of("-H", "Host: " + health.host()));
        }
        argv.add(health.url().toString());
        return RemoteCommand.of(argv).withTimeout(health.requestTimeout().plusSeconds(5));
    }
}
