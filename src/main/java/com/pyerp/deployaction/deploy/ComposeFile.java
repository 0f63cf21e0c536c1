package com.pyerp.deployaction.deploy;

import com.pyerp.deployaction.action.ActionException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * What the deploy needs to know of the user's Compose file before connecting: its services, and which of them
 * run the application image ({@code image: ${APP_IMAGE}}, the contract with the action). The server's
 * {@code compose config -q} checks the rest. With {@code switch: proxy}, the services that mention {@code ${APP_PORT}}
 * are the web services, started per slot behind the proxy.
 */
public record ComposeFile(List<String> services, List<String> appServices, List<String> hostNetworkServices,
        List<String> portServices, List<String> assetServices, List<String> namedContainers) {

    /** What a slot's web service listens on, with {@code switch: proxy}: the action sets it per slot. */
    static final String PORT_VARIABLE = "APP_PORT";
    /** The host directory of a release's bridged static files, with {@code asset-path}: the action sets it per slot. */
    static final String ASSETS_VARIABLE = "APP_ASSETS";

    public static ComposeFile parse(String yaml, String name) {
        Object root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        } catch (YAMLException e) {
            throw new ActionException("Invalid input: compose-file", name + " is not valid YAML: "
                    + e.getMessage().lines().findFirst().orElse("") + ".");
        }
        if (!(root instanceof Map<?, ?> top) || !(top.get("services") instanceof Map<?, ?> services) || services.isEmpty()) {
            throw new ActionException("Invalid input: compose-file", name + " has no 'services:'; it must be a Compose"
                    + " file whose application service says image: ${APP_IMAGE}.");
        }
        List<String> all = new ArrayList<>();
        List<String> app = new ArrayList<>();
        List<String> hostNetwork = new ArrayList<>();
        List<String> port = new ArrayList<>();
        List<String> assets = new ArrayList<>();
        List<String> named = new ArrayList<>();
        for (Map.Entry<?, ?> service : services.entrySet()) {
            String serviceName = String.valueOf(service.getKey());
            if (serviceName.startsWith("-")) {
                throw new ActionException("Invalid input: compose-file", name + " has the service '" + serviceName + "',"
                        + " whose name starts with '-', which Compose commands would read as an option; rename it.");
            }
            all.add(serviceName);
            if (service.getValue() instanceof Map<?, ?> definition) {
                if (definition.get("image") instanceof String image && image.matches(".*\\$\\{?APP_IMAGE\\b.*")) {
                    app.add(serviceName);
                }
                if ("host".equals(definition.get("network_mode"))) {
                    hostNetwork.add(serviceName);
                }
                if (mentions(definition, PORT_VARIABLE)) {
                    port.add(serviceName);
                }
                if (mentions(definition, ASSETS_VARIABLE)) {
                    assets.add(serviceName);
                }
                if (definition.containsKey("container_name")) {
                    named.add(serviceName);
                }
            }
        }
        if (app.isEmpty()) {
            throw new ActionException("Invalid input: compose-file", name + " has no service with image: ${APP_IMAGE}."
                    + " The action sets APP_IMAGE to the image it pushed (name@sha256:...); write image: ${APP_IMAGE}"
                    + " for the services that run your application.");
        }
        return new ComposeFile(List.copyOf(all), List.copyOf(app), List.copyOf(hostNetwork), List.copyOf(port),
                List.copyOf(assets), List.copyOf(named));
    }

    /** Whether a text anywhere in {@code value} interpolates {@code variable}, as {@code $NAME} or {@code ${NAME…}}. */
    private static boolean mentions(Object value, String variable) {
        if (value instanceof Map<?, ?> map) {
            return map.entrySet().stream().anyMatch(e -> mentions(e.getKey(), variable) || mentions(e.getValue(), variable));
        }
        if (value instanceof List<?> list) {
            return list.stream().anyMatch(item -> mentions(item, variable));
        }
        return value instanceof String text && text.matches("(?s).*(?<!\\$)\\$(\\{" + variable + "\\b|" + variable + "\\b).*");
    }

    /** The services that keep running in place with {@code switch: proxy}: workers, schedulers, databases. */
    List<String> inPlaceServices(List<String> chosen) {
        return (chosen.isEmpty() ? services : chosen).stream().filter(name -> !portServices.contains(name)).toList();
    }

    /** Fails unless every name is a service of this file. */
    public void requireServices(List<String> names, String what) {
        for (String name : names) {
            if (!services.contains(name)) {
                throw new ActionException("Invalid deploy-config", what + " names the service '" + name + "', which the"
                        + " Compose file does not define; it has " + String.join(", ", services) + ".");
            }
        }
    }
}
