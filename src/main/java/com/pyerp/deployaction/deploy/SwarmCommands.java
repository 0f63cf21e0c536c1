package com.pyerp.deployaction.deploy;

import static com.pyerp.deployaction.deploy.DeployCommands.SHORT;

import com.pyerp.deployaction.registry.Credential;
import com.pyerp.deployaction.ssh.RemoteCommand;
import com.pyerp.deployaction.ssh.ShellQuoting;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The commands of {@code engine: swarm}, as data. The stack's variables (.env and APP_IMAGE) and the registry password
 * reach the server's shell on stdin as {@code export} lines, never in argv: {@code docker stack deploy} interpolates
 * the compose file from its own environment, and {@code docker run -e NAME} takes the value from there too.
 */
final class SwarmCommands {

    /** Where the override with the default update_config goes, beside the release's other state. */
    static final String DEFAULTS_FILE = DeployCommands.STATE + "/swarm-defaults.yaml";
    /** The stack's services carry this label; its value is the stack's name. */
    private static final String STACK_LABEL = "com.docker.stack.namespace";
    private static final String PASSWORD_VARIABLE = "PYERP_REGISTRY_PASSWORD";

    /**
     * Reads the exports on stdin; logs in to the registry in a throwaway DOCKER_CONFIG when a user is given ($1, $2),
     * which {@code --with-registry-auth} hands to the nodes; then runs the rest of argv.
     */
    private static final String WITH_ENVIRONMENT = """
            set -a; . /dev/stdin; set +a
            if [ -n "$1" ]; then
              rm -rf .deploy/stack-auth.*
              auth=$(umask 077 && mktemp -d .deploy/stack-auth.XXXXXX) || exit 1
              trap 'rm -rf "$auth"' EXIT
              trap 'exit 129' HUP; trap 'exit 130' INT; trap 'exit 143' TERM
              export DOCKER_CONFIG="$PWD/$auth"
              printf '%s' "$PYERP_REGISTRY_PASSWORD" | docker login --username "$1" --password-stdin "$2" > /dev/null || exit 1
            fi
            unset PYERP_REGISTRY_PASSWORD
            shift 2
            "$@"
            """;

    private static final String STATUS = """
            services=$(docker service ls --filter "label=$2=$1" --format '{{.ID}} {{.Name}} {{.Replicas}}') || exit 1
            [ -n "$services" ] || exit 0
            ids=
            while read -r id name replicas; do
              ids="$ids $id"
              printf 'replicas %s %s\\n' "$name" "$replicas"
            done <<EOF
            $services
            EOF
            docker service inspect --format 'update {{.Spec.Name}} {{if .UpdateStatus}}{{.UpdateStatus.State}}{{else}}none{{end}} {{.Spec.TaskTemplate.ContainerSpec.Image}} {{if .UpdateStatus}}{{.UpdateStatus.Message}}{{end}}' $ids || exit 1
            tasks=$(docker stack ps --no-trunc --filter desired-state=running --format 'task {{.Name}} {{.Image}} {{.Node}} {{.CurrentState}}' "$1" 2>&1) || case $tasks in
              *"nothing found in stack"*) exit 0 ;;
              *) echo "$tasks" >&2; exit 1 ;;
            esac
            printf '%s\n' "$tasks"
            """;

    private SwarmCommands() {}

    /** The engine's swarm state: {@code LocalNodeState ControlAvailable}, such as {@code active true} on a manager. */
    static RemoteCommand nodeState() {
        return RemoteCommand.of("docker", "info", "--format", "{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}")
                .withTimeout(SHORT);
    }

    /** {@code docker stack deploy} in app-dir, with the override of {@link StackFile#defaults} when there is one. */
    static RemoteCommand deploy(String appDir, String stack, boolean defaults, Map<String, String> variables,
            Credential login, String registry, Duration timeout) {
        List<String> argv = new ArrayList<>(List.of("docker", "stack", "deploy", "--with-registry-auth", "--prune",
                "--resolve-image", "always", "-c", DeployCommands.COMPOSE_NAME));
        if (defaults) {
            argv.addAll(List.of("-c", DEFAULTS_FILE));
        }
        argv.add(stack);
        return withEnvironment(argv, variables, login, registry).in(appDir).withTimeout(timeout);
    }

    /**
     * The migration in a one-off container of the new image on the manager, on the host network, with the stack's
     * variables as its environment; the command's first word is its entrypoint, as with Compose.
     */
    static RemoteCommand migrate(String appDir, String image, List<String> command, Map<String, String> variables,
            Duration timeout) {
        List<String> argv = new ArrayList<>(List.of("docker", "run", "--rm", "--network", "host", "--entrypoint",
                command.get(0)));
        variables.keySet().forEach(name -> argv.addAll(List.of("-e", name)));
        argv.add(image);
        argv.addAll(command.subList(1, command.size()));
        return withEnvironment(argv, variables, null, "").in(appDir).withTimeout(timeout);
    }

    private static RemoteCommand withEnvironment(List<String> argv, Map<String, String> variables, Credential login,
            String registry) {
        List<String> words = new ArrayList<>(List.of("sh", "-c", WITH_ENVIRONMENT, "sh",
                login == null ? "" : login.username(), login == null ? "" : registry));
        words.addAll(argv);
        return RemoteCommand.of(words).withStdin(exports(variables, login));
    }

    /** {@code NAME='value'} lines for {@code set -a; . /dev/stdin}, which keeps any value as it is. */
    static String exports(Map<String, String> variables, Credential login) {
        StringBuilder text = new StringBuilder();
        variables.forEach((name, value) -> text.append(name).append('=').append(ShellQuoting.quote(value)).append('\n'));
        if (login != null) {
            text.append(PASSWORD_VARIABLE).append('=').append(ShellQuoting.quote(login.secret())).append('\n');
        }
        return text.toString();
    }

    /** Lines for {@link SwarmStatus#parse}: the stack's services, their update states and their running tasks. */
    static RemoteCommand status(String stack) {
        return RemoteCommand.of("sh", "-c", STATUS, "sh", stack, STACK_LABEL).withTimeout(SHORT);
    }

    /** The image a service's spec runs now; fails when the service does not exist. */
    static RemoteCommand serviceImage(String service) {
        return RemoteCommand.of("docker", "service", "inspect", "--format", "{{.Spec.TaskTemplate.ContainerSpec.Image}}",
                service).withTimeout(SHORT);
    }

    /** Back to the service's previous spec; the action waits for it itself. */
    static RemoteCommand rollback(String service) {
        return RemoteCommand.of("docker", "service", "rollback", "--detach", "--quiet", service).withTimeout(SHORT);
    }

    /** A service's newest tasks with their state and error, for the failure message. */
    static RemoteCommand taskErrors(String service) {
        return RemoteCommand.of("docker", "service", "ps", "--no-trunc", "--format",
                "{{.Name}} {{.Node}} {{.CurrentState}} {{.Error}}", service).withTimeout(SHORT);
    }

    static RemoteCommand logs(String service, int lines) {
        return RemoteCommand.of("docker", "service", "logs", "--raw", "--tail", Integer.toString(lines), service)
                .withTimeout(SHORT);
    }
}
