package com.pyerp.deployaction.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.action.Workspace;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** deploy-config's {@code switch} and the proxy keys: defaults, and one error per bad value that names it. */
class ProxySwitchTest {

    private static final String SECTION = "environments:\n  production:\n    hosts: [erp1.example.com]\n"
            + "    app-dir: /srv/pyerp\n    health-url: http://127.0.0.1:8000/health/\n";

    private final SectionFixture section;

    ProxySwitchTest(@TempDir Path directory) {
        section = new SectionFixture(directory, SECTION);
    }

    @Test
    void stopFirstIsTheDefault() throws Exception {
        assertNull(section.target("").proxy());
        assertNull(section.target("    switch: stop-first\n").proxy());
    }

    @Test
    void proxyTakesItsHostFromTheUrlAndDefaultsForTheRest() throws Exception {
        ProxySwitch proxy = section.target("    switch: proxy\n    url: https://erp.example.com/login\n").proxy();
        assertEquals(new ProxySwitch(List.of("erp.example.com"), URI.create("http://127.0.0.1:2019"), "pyerp",
                List.of(8001, 8002), Duration.ofSeconds(30), "", Duration.ZERO), proxy);
    }

    @Test
    void everyProxyKeyIsRead() throws Exception {
        ProxySwitch proxy = section.target("""
                    switch: proxy
                    proxy-hosts: [erp.example.com, '*.erp.example.com']
                    proxy-admin: http://localhost:2999/
                    proxy-server: edge_1
                    slot-ports: 9001, 9002
                    drain-timeout: 2m
                    asset-path: /app/staticfiles
                    migrate-command: python3 manage.py migrate
                    migrate-pause: 8s
                """).proxy();
        assertEquals(new ProxySwitch(List.of("erp.example.com", "*.erp.example.com"), URI.create("http://localhost:2999"),
                "edge_1", List.of(9001, 9002), Duration.ofMinutes(2), "/app/staticfiles", Duration.ofSeconds(8)), proxy);
    }

    @Test
    void theProxySwitchesOnlyToAReleaseThatAnswersItsHealthUrl() throws Exception {
        Files.writeString(section.directory().resolve("compose.yaml"), "services: {web: {image: '${APP_IMAGE}'}}\n");
        Files.writeString(section.directory().resolve("deploy.yml"), "environments:\n  production:\n    hosts: [erp1]\n"
                + "    app-dir: /srv/pyerp\n    switch: proxy\n    url: https://erp.example.com\n");
        Inputs inputs = Inputs.from(Map.of("INPUT_DEPLOY-CONFIG", "deploy.yml"), Map.of());
        ActionException e = assertThrows(ActionException.class, () -> new Configuration(inputs,
                new Workspace(section.directory(), null), Map.of(), ContextSource.WORKFLOW).deploy().targets()
                .decide(DeployTargetsTest.context("push", "refs/heads/main")));
        assertEquals("Environment 'production' has switch: proxy but no health-url, and the proxy switches only to a"
                + " release that answers it. Add 'health-url: http://127.0.0.1:8000/health/' (its path is asked of the"
                + " new slot's own port), or set the health-url input, in deploy.yml.", e.getMessage());
    }

    @Test
    void badValuesAreRefusedByName() {
        section.assertRefused("    switch: blue-green\n",
                "deploy.yml:6: 'switch' of environment 'production' 'blue-green' must be stop-first or proxy.");
        section.assertRefused("    switch: proxy\n    url: https://erp.example.com\n    proxy-admin: http://admin:s3cret@127.0.0.1:2019\n",
                "deploy.yml:8: 'proxy-admin' of environment 'production' must not hold a user name or password, which would"
                        + " show in the server's process list; reach Caddy's admin API on loopback, such as"
                        + " http://127.0.0.1:2019.");
        section.assertRefused("    switch: proxy\n    proxy-hosts: ['*.erp.example.com']\n", "Environment 'production' has only"
                + " wildcard proxy-hosts, so the health check has no host name to send. Add 'health-host: erp.example.com'"
                + " in deploy.yml.");
        section.assertRefused("    switch: proxy\n",
                "Environment 'production' has switch: proxy but no host names for the proxy to serve. Add 'proxy-hosts:"
                        + " [erp.example.com]' or 'url: https://erp.example.com' to its section in deploy.yml.");
        section.assertRefused("    proxy-hosts: [erp.example.com]\n", "deploy.yml:6: 'proxy-hosts' of environment 'production'"
                + " applies only with switch: proxy; set switch: proxy or remove it.");
        section.assertRefused("    switch: proxy\n    proxy-hosts: ['https://erp.example.com']\n", "deploy.yml:7: 'proxy-hosts' of"
                + " environment 'production' 'https://erp.example.com' must be a host name such as erp.example.com or"
                + " *.example.com, without a scheme, port or path.");
        section.assertRefused("    switch: proxy\n    url: https://erp.example.com\n    proxy-admin: https://127.0.0.1:2019/config\n",
                "deploy.yml:8: 'proxy-admin' of environment 'production' 'https://127.0.0.1:2019/config' must be the"
                        + " http:// address of Caddy's admin API as the server reaches it, such as http://127.0.0.1:2019.");
        section.assertRefused("    switch: proxy\n    url: https://erp.example.com\n    proxy-server: 'my server'\n",
                "deploy.yml:8: 'proxy-server' of environment 'production' 'my server' must be the name of a Caddy server:"
                        + " letters, digits, '-' and '_'.");
        section.assertRefused("    switch: proxy\n    url: https://erp.example.com\n    slot-ports: [8001, 8001]\n",
                "deploy.yml:8: 'slot-ports' of environment 'production' '8001, 8001' must be two different ports, such as"
                        + " [8001, 8002], one for each slot.");
        section.assertRefused("    switch: proxy\n    url: https://erp.example.com\n    slot-ports: [8001]\n",
                "deploy.yml:8: 'slot-ports' of environment 'production' '8001' must be two different ports, such as"
                        + " [8001, 8002], one for each slot.");
        section.assertRefused("    switch: proxy\n    url: https://erp.example.com\n    asset-path: app/static/../..\n",
                "deploy.yml:8: 'asset-path' of environment 'production' 'app/static/../..' must be the absolute directory"
                        + " of the static files in the image, such as /app/staticfiles.");
        section.assertRefused("    switch: proxy\n    url: https://erp.example.com\n    asset-path: /app/../etc\n",
                "deploy.yml:8: 'asset-path' of environment 'production' '/app/../etc' must be the absolute directory"
                        + " of the static files in the image, such as /app/staticfiles.");
        section.assertRefused("    switch: proxy\n    url: https://erp.example.com\n    migrate-pause: 5s\n",
                "deploy.yml:8: 'migrate-pause' of environment 'production' holds requests around the migration, and"
                        + " there is no migrate-command; set migrate-command or remove it.");
        section.assertRefused("    asset-path: /app/static\n", "deploy.yml:6: 'asset-path' of environment 'production'"
                + " applies only with switch: proxy; set switch: proxy or remove it.");
        section.assertRefused("    switch: proxy\n    url: https://erp.example.com\n    drain-timeout: later\n",
                "deploy.yml:8: 'drain-timeout' of environment 'production' 'later' must be a duration such as 90s, 2m or"
                        + " 1m30s.");
    }
}
