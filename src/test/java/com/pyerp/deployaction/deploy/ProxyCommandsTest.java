package com.pyerp.deployaction.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pyerp.deployaction.config.HealthCheck;
import com.pyerp.deployaction.config.ProxySwitch;
import com.pyerp.deployaction.ssh.RemoteCommand;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The Caddy admin calls as argv and stdin, the route they send, and how the answers are read. */
class ProxyCommandsTest {

    private static final ProxySwitch PROXY = new ProxySwitch(List.of("erp.example.com"), URI.create("http://127.0.0.1:2019"),
            "pyerp", List.of(8001, 8002), Duration.ofSeconds(30), "",
            Duration.ofSeconds(8));

    @Test
    void theRouteServesOneSlotAndKeepsTheOtherInThePool() {
        String route = ProxyCommands.routeJson(PROXY, "shop", 8002, 8001);
        assertEquals("{\"@id\":\"pyerp-deploy-shop\",\"match\":[{\"host\":[\"erp.example.com\"]}],\"handle\":[{\"handler\":"
                + "\"subroute\",\"routes\":[{\"handle\":[{\"handler\":\"reverse_proxy\",\"upstreams\":[{\"dial\":"
                + "\"127.0.0.1:8002\"}]}],\"terminal\":true},{\"handle\":[{\"handler\":\"reverse_proxy\",\"upstreams\":"
                + "[{\"dial\":\"127.0.0.1:8001\"}]}]}]}],\"terminal\":true}", route);
        assertEquals(OptionalInt.of(8002), ProxyCommands.servingPort(route));
        assertEquals(OptionalInt.empty(), ProxyCommands.servingPort("{\"handle\":[{\"handler\":\"static_response\"}]}"));
    }

    @Test
    void aHoldingRouteRetriesTheSlotAboutToStartForThePause() {
        String route = ProxyCommands.holdRouteJson(PROXY, "shop", 8002, 8001);
        assertTrue(route.contains("{\"handler\":\"reverse_proxy\",\"upstreams\":[{\"dial\":\"127.0.0.1:8002\"}],"
                + "\"load_balancing\":{\"try_duration\":\"8000ms\",\"try_interval\":\"250ms\"}}"), route);
        assertEquals(OptionalInt.of(8002), ProxyCommands.servingPort(route));
    }

    @Test
    void theRouteGoesOnStdinAndNeverInArgv() {
        RemoteCommand replace = ProxyCommands.replaceRoute(PROXY, "shop", "{\"@id\":\"x\"}");
        assertEquals(List.of("curl", "-sS", "--noproxy", "*", "--max-time", "20", "-X", "PATCH", "-o", "-", "-w",
                "\\n%{http_code}", "-H",
                "Content-Type: application/json", "--data-binary", "@-", "http://127.0.0.1:2019/id/pyerp-deploy-shop"),
                replace.argv());
        assertEquals("{\"@id\":\"x\"}", new String(replace.stdin(), StandardCharsets.UTF_8));
        assertEquals(List.of("curl", "-sS", "--noproxy", "*", "--max-time", "20", "-X", "GET", "-o", "-", "-w",
                "\\n%{http_code}",
                "http://127.0.0.1:2019/reverse_proxy/upstreams"), ProxyCommands.upstreams(PROXY).argv());
    }

    @Test
    void aNewRouteGoesBeforeTheOthersInWhateverArrayTheServerHas() {
        assertEquals(List.of("PUT", "http://127.0.0.1:2019/config/apps/http/servers/pyerp/routes/0", "{}"),
                methodPathBody(ProxyCommands.addRoute(PROXY, "{}", "[{\"handle\":[]}]")));
        assertEquals(List.of("POST", "http://127.0.0.1:2019/config/apps/http/servers/pyerp/routes", "{}"),
                methodPathBody(ProxyCommands.addRoute(PROXY, "{}", "[]")));
        assertEquals(List.of("PUT", "http://127.0.0.1:2019/config/apps/http/servers/pyerp/routes", "[{}]"),
                methodPathBody(ProxyCommands.addRoute(PROXY, "{}", "null")));
    }

    private static List<String> methodPathBody(RemoteCommand command) {
        return List.of(command.argv().get(7), command.argv().get(command.argv().size() - 1),
                new String(command.stdin(), StandardCharsets.UTF_8));
    }

    @Test
    void answersAreSplitAndRead() {
        ProxyCommands.Answer answer = ProxyCommands.Answer.of("[{\"address\":\"127.0.0.1:8001\",\"num_requests\":2,"
                + "\"fails\":0},{\"address\":\"127.0.0.1:8002\",\"num_requests\":0,\"fails\":0}]\n200\n");
        assertEquals(200, answer.status());
        assertTrue(answer.ok());
        assertEquals(2, ProxyCommands.inFlight(answer.body(), "127.0.0.1:8001"));
        assertEquals(0, ProxyCommands.inFlight(answer.body(), "127.0.0.1:8002"));
        assertEquals(0, ProxyCommands.inFlight(answer.body(), "127.0.0.1:9999"));
        assertTrue(ProxyCommands.isNull(ProxyCommands.Answer.of("null\n\n200").body()));
        assertEquals(404, ProxyCommands.Answer.of("{\"error\":\"unknown object ID 'x'\"}\n404").status());
    }

    @Test
    void theSlotIsHealthCheckedOnItsOwnPortWithTheAppsHostName() {
        HealthCheck health = new HealthCheck(URI.create("http://127.0.0.1:8000/health/?deep=1"), 0, "", "ok",
                Duration.ofSeconds(60), Duration.ofSeconds(2), 3);
        HealthCheck slot = ProxyEngine.slotHealth(health, 8002, "erp.example.com");
        assertEquals(URI.create("http://127.0.0.1:8002/health/?deep=1"), slot.url());
        assertEquals("erp.example.com", slot.host());
        assertEquals("ok", slot.body());
        assertEquals("admin.example.com", ProxyEngine.slotHealth(new HealthCheck(health.url(), 0, "admin.example.com", "",
                health.timeout(), health.interval(), 3), 8001, "erp.example.com").host());
    }

    @Test
    void eachReleasesAssetsHaveADirectoryNamedAfterItsDigest() {
        String image = "ghcr.io/acme/pyerp@sha256:" + "0123456789abcdef".repeat(4);
        assertEquals("0123456789ab", AssetCommands.name(image));
        assertEquals("/srv/pyerp/.deploy/assets/0123456789ab", AssetCommands.path("/srv/pyerp", "0123456789ab"));
        RemoteCommand prepare = AssetCommands.prepare("/srv/pyerp", image, "0123456789ab", "/app/static");
        assertEquals(List.of(image, "0123456789ab", "/app/static"), prepare.argv().subList(4, 7),
                "the image and paths are arguments of the script, never part of it");
    }

    @Test
    void theWebServicesAreThoseThatListenOnAppPort() {
        ComposeFile compose = ComposeFile.parse("""
                services:
                  web:
                    image: ${APP_IMAGE}
                    command: gunicorn -b 127.0.0.1:${APP_PORT} pyerp.wsgi
                  api:
                    image: ${APP_IMAGE}
                    ports: ["127.0.0.1:$APP_PORT:8000"]
                    volumes: ["${APP_ASSETS}:/app/static:ro"]
                  worker:
                    image: ${APP_IMAGE}
                    command: echo $$APP_PORT ${APP_PORTS}
                  db:
                    image: mysql:8
                """, "compose.yaml");
        assertEquals(List.of("web", "api"), compose.portServices());
        assertEquals(List.of("api"), compose.assetServices());
        assertEquals(List.of("web", "api"), ProxyEngine.webServices(compose, List.of()));
        assertEquals(List.of("web"), ProxyEngine.webServices(compose, List.of("web", "worker")));
        assertEquals(List.of("worker", "db"), compose.inPlaceServices(List.of()));
        assertEquals(List.of("worker"), compose.inPlaceServices(List.of("web", "worker")));
    }
}
