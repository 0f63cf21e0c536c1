package com.pyerp.deployaction.deploy;

import com.pyerp.deployaction.action.ActionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * What {@code engine: swarm} needs of the compose file: its format version, the services that set no
 * {@code deploy.update_config}, and those on the {@code host} network, which cannot start a new task beside the old
 * one on the same port. {@link #defaults} is the second file given to {@code docker stack deploy}, which supplies safe
 * rollout settings for the services that set none.
 */
public record StackFile(String version, List<String> services, List<String> withoutUpdateConfig, List<String> onHostNetwork) {

    /** The first file formats with {@code update_config.order} and with {@code rollback_config}. */
    private static final int ORDER_MINOR = 4;
    private static final int ROLLBACK_CONFIG_MINOR = 7;

    static StackFile parse(String yaml, String name) {
        Map<?, ?> top = (Map<?, ?>) new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        Object version = top.get("version");
        String versionText = version == null ? "" : String.valueOf(version);
        if (!versionText.matches("3(\\.\\d+)?")) {
            throw new ActionException("Invalid input: compose-file", name + (versionText.isEmpty() ? " has no version:"
                    : " says version: '" + versionText + "'") + ", and docker stack deploy of Docker 20.10 (Debian 12's"
                    + " docker.io) reads only files of format 3. With engine: swarm, write version: \"3.8\" at its top.");
        }
        List<String> hostNetworks = new ArrayList<>();
        if (top.get("networks") instanceof Map<?, ?> networks) {
            networks.forEach((key, definition) -> {
                if (definition instanceof Map<?, ?> network && Boolean.TRUE.equals(network.get("external"))
                        && "host".equals(network.containsKey("name") ? network.get("name") : key)) {
                    hostNetworks.add(String.valueOf(key));
                }
            });
        }
        List<String> all = new ArrayList<>();
        List<String> withoutUpdateConfig = new ArrayList<>();
        List<String> onHost = new ArrayList<>();
        ((Map<?, ?>) top.get("services")).forEach((key, value) -> {
            String service = String.valueOf(key);
            all.add(service);
            Map<?, ?> definition = value instanceof Map<?, ?> map ? map : Map.of();
            if (definition.containsKey("network_mode")) {
                throw new ActionException("Invalid input: compose-file", name + ": the service " + service + " sets"
                        + " network_mode, which docker stack deploy ignores. With engine: swarm, join the host network"
                        + " instead: networks: [hostnet] in the service, and networks: {hostnet: {external: true, name:"
                        + " host}} at the top (docs/swarm.md).");
            }
            if (!(definition.get("deploy") instanceof Map<?, ?> deploy) || !deploy.containsKey("update_config")) {
                withoutUpdateConfig.add(service);
            }
            Object networks = definition.get("networks");
            List<?> names = networks instanceof Map<?, ?> map ? new ArrayList<>(map.keySet())
                    : networks instanceof List<?> list ? list : List.of();
            if (names.stream().anyMatch(network -> hostNetworks.contains(String.valueOf(network)))) {
                onHost.add(service);
            }
        });
        return new StackFile(versionText, List.copyOf(all), List.copyOf(withoutUpdateConfig), List.copyOf(onHost));
    }

    /**
     * The override for the services without {@code update_config}: a failed task rolls the update back instead of
     * pausing it (Swarm's default, which looks complete); a new task starts before the old one stops unless both
     * would bind the same host port (format 3.4 and later); a task must run for {@code monitor} before the update goes
     * on. Empty when every service sets its own.
     */
    String defaults(Duration monitor) {
        if (withoutUpdateConfig.isEmpty()) {
            return "";
        }
        int minor = version.contains(".") ? Integer.parseInt(version.substring(2)) : 0;
        Map<String, Object> services = new LinkedHashMap<>();
        for (String service : withoutUpdateConfig) {
            String order = onHostNetwork.contains(service) ? "stop-first" : "start-first";
            Map<String, Object> update = new LinkedHashMap<>();
            if (minor >= ORDER_MINOR) {
                update.put("order", order);
            }
            update.put("failure_action", "rollback");
            update.put("monitor", monitor.toSeconds() + "s");
            Map<String, Object> deploy = new LinkedHashMap<>();
            deploy.put("update_config", update);
            if (minor >= ROLLBACK_CONFIG_MINOR) {
                deploy.put("rollback_config", Map.of("order", order));
            }
            services.put(service, Map.of("deploy", deploy));
        }
        // docker stack deploy refuses two files of different versions.
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("version", version);
        file.put("services", services);
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        return new Yaml(options).dump(file);
    }
}
