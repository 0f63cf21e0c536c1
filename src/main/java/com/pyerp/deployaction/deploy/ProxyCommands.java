package com.pyerp.deployaction.deploy;

import static com.pyerp.deployaction.deploy.DeployCommands.SHORT;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pyerp.deployaction.config.ProxySwitch;
import com.pyerp.deployaction.ssh.RemoteCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * What the proxy engine asks Caddy's admin API, with curl on the server, and how it reads the answers. The app's
 * route carries an {@code @id}, so that one PATCH replaces it whole: Caddy applies a config change atomically.
 * The route is a subroute of two entries: the first, terminal, proxies to the serving slot; the second is never
 * reached and names the other slot, so that Caddy keeps that upstream, and its count of requests in flight, in its
 * pool after a switch. The drain reads that count.
 */
final class ProxyCommands {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ProxyCommands() {}

    /** The route's {@code @id}, unique in one Caddy across apps. */
    static String routeId(String app) {
        return "pyerp-deploy-" + app;
    }

    static String upstream(int port) {
        return "127.0.0.1:" + port;
    }

    /** One admin request: prints the body, a newline and the status code, whatever the status; a body goes on stdin. */
    static RemoteCommand request(ProxySwitch proxy, String method, String path, String body) {
        List<String> argv = new ArrayList<>(List.of("curl", "-sS", "--noproxy", "*", "--max-time", "20", "-X", method,
                "-o", "-", "-w", "\\n%{http_code}"));
        if (body != null) {
            argv.addAll(List.of("-H", "Content-Type: application/json", "--data-binary", "@-"));
        }
        argv.add(proxy.admin() + path);
        RemoteCommand command = RemoteCommand.of(argv).withTimeout(SHORT);
        return body == null ? command : command.withStdin(body);
    }

    static RemoteCommand server(ProxySwitch proxy) {
        return request(proxy, "GET", "/config/apps/http/servers/" + proxy.server(), null);
    }

    static RemoteCommand route(ProxySwitch proxy, String app) {
        return request(proxy, "GET", "/id/" + routeId(app), null);
    }

    /** Replaces the app's route, which exists, in one change. */
    static RemoteCommand replaceRoute(ProxySwitch proxy, String app, String route) {
        return request(proxy, "PATCH", "/id/" + routeId(app), route);
    }

    static RemoteCommand routes(ProxySwitch proxy) {
        return request(proxy, "GET", routesPath(proxy), null);
    }

    /**
     * Adds the app's route given the server's routes now: before the others, so that a catch-all route does not
     * shadow it; Caddy refuses an insert into an empty array, and a missing array is made with the route in it.
     */
    static RemoteCommand addRoute(ProxySwitch proxy, String route, String routesNow) {
        JsonNode routes = read(routesNow);
        if (!routes.isArray()) {
            return request(proxy, "PUT", routesPath(proxy), "[" + route + "]");
        }
        return routes.isEmpty() ? request(proxy, "POST", routesPath(proxy), route)
                : request(proxy, "PUT", routesPath(proxy) + "/0", route);
    }

    private static String routesPath(ProxySwitch proxy) {
        return "/config/apps/http/servers/" + proxy.server() + "/routes";
    }

    static RemoteCommand upstreams(ProxySwitch proxy) {
        return request(proxy, "GET", "/reverse_proxy/upstreams", null);
    }

    /** One line per container of a Compose project: its id and service; with {@code all}, stopped ones too. */
    static RemoteCommand projectContainers(String project, boolean all) {
        List<String> argv = new ArrayList<>(List.of("docker", "ps", "--no-trunc"));
        if (all) {
            argv.add("-a");
        }
        argv.addAll(List.of("--filter", "label=com.docker.compose.project=" + project, "--filter",
                "label=com.docker.compose.oneoff=False", "--format", "{{.ID}} {{.Label \"com.docker.compose.service\"}}"));
        return RemoteCommand.of(argv).withTimeout(SHORT);
    }

    /** The app's route, serving {@code servingPort} and keeping {@code otherPort} in the pool. */
    static String routeJson(ProxySwitch proxy, String app, int servingPort, int otherPort) {
        ObjectNode route = JSON.createObjectNode();
        route.put("@id", routeId(app));
        ArrayNode hosts = route.putArray("match").addObject().putArray("host");
        proxy.hosts().forEach(hosts::add);
        ObjectNode subroute = route.putArray("handle").addObject();
        subroute.put("handler", "subroute");
        ArrayNode entries = subroute.putArray("routes");
        proxyTo(entries.addObject(), servingPort).put("terminal", true);
        proxyTo(entries.addObject(), otherPort);
        route.put("terminal", true);
        return route.toString();
    }

    /**
     * The app's route during a migrate-pause: the same shape, but requests for {@code heldPort}, where nothing listens
     * yet, are retried every 250 ms for at most the pause instead of failing at once.
     */
    static String holdRouteJson(ProxySwitch proxy, String app, int heldPort, int otherPort) {
        ObjectNode route = (ObjectNode) read(routeJson(proxy, app, heldPort, otherPort));
        ObjectNode held = (ObjectNode) route.path("handle").path(0).path("routes").path(0).path("handle").path(0);
        ObjectNode balancing = held.putObject("load_balancing");
        balancing.put("try_duration", proxy.migratePause().toMillis() + "ms");
        balancing.put("try_interval", "250ms");
        return route.toString();
    }

    private static ObjectNode proxyTo(ObjectNode entry, int port) {
        ObjectNode handler = entry.putArray("handle").addObject();
        handler.put("handler", "reverse_proxy");
        handler.putArray("upstreams").addObject().put("dial", upstream(port));
        return entry;
    }

    /** The port the route now serves from: its first entry's upstream; empty when the route is not ours. */
    static OptionalInt servingPort(String routeJson) {
        JsonNode dial = read(routeJson).path("handle").path(0).path("routes").path(0).path("handle").path(0)
                .path("upstreams").path(0).path("dial");
        String text = dial.asText("");
        return text.matches("127\\.0\\.0\\.1:\\d{1,5}") ? OptionalInt.of(Integer.parseInt(text.substring(10)))
                : OptionalInt.empty();
    }

    /** Requests in flight to {@code address} by Caddy's count; 0 when Caddy no longer lists it. */
    static int inFlight(String upstreamsJson, String address) {
        for (JsonNode upstream : read(upstreamsJson)) {
            if (address.equals(upstream.path("address").asText())) {
                return upstream.path("num_requests").asInt(0);
            }
        }
        return 0;
    }

    /** Whether an answer is JSON {@code null}, Caddy's way of saying a config path holds nothing. */
    static boolean isNull(String json) {
        return read(json).isNull();
    }

    private static JsonNode read(String json) {
        try {
            JsonNode node = JSON.readTree(json.isBlank() ? "null" : json);
            return node == null ? JSON.nullNode() : node;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Caddy answered something that is not JSON: "
                    + json.strip().lines().findFirst().orElse(""));
        }
    }

    /** Splits a {@link #request} answer into status and body. */
    record Answer(int status, String body) {
        static Answer of(String output) {
            String trimmed = output.stripTrailing();
            int newline = trimmed.lastIndexOf('\n');
            String code = trimmed.substring(newline + 1).strip();
            return new Answer(code.matches("\\d{3}") ? Integer.parseInt(code) : 0, newline < 0 ? "" : trimmed.substring(0, newline));
        }

        boolean ok() {
            return status >= 200 && status < 300;
        }
    }
}
