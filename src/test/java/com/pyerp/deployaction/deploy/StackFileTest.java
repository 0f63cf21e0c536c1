package com.pyerp.deployaction.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pyerp.deployaction.action.ActionException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class StackFileTest {

    private static final String FILE = """
            version: "3.8"
            services:
              web:
                image: ${APP_IMAGE}
                networks: [hostnet]
              worker:
                image: ${APP_IMAGE}
              cache:
                image: redis
                deploy:
                  update_config: {order: start-first}
            networks:
              hostnet:
                external: true
                name: host
            """;

    @Test
    void servicesWithoutUpdateConfigGetRollbackDefaultsAndHostNetworkOnesStopFirst() {
        StackFile file = StackFile.parse(FILE, "compose.yaml");
        assertEquals(List.of("web", "worker"), file.withoutUpdateConfig());
        assertEquals(List.of("web"), file.onHostNetwork());
        assertEquals("""
                version: '3.8'
                services:
                  web:
                    deploy:
                      update_config:
                        order: stop-first
                        failure_action: rollback
                        monitor: 5s
                      rollback_config:
                        order: stop-first
                  worker:
                    deploy:
                      update_config:
                        order: start-first
                        failure_action: rollback
                        monitor: 5s
                      rollback_config:
                        order: start-first
                """, file.defaults(Duration.ofSeconds(5)));
    }

    @Test
    void theOverrideHasTheFilesVersionAndOnlyWhatThatVersionKnows() {
        assertEquals("version: '3'\nservices:\n  web:\n    deploy:\n      update_config:\n        failure_action: rollback\n"
                + "        monitor: 3s\n", StackFile.parse("version: '3'\nservices: {web: {image: x}}", "c").defaults(Duration.ofSeconds(3)));
        assertTrue(StackFile.parse("version: '3.4'\nservices: {web: {image: x}}", "c").defaults(Duration.ofSeconds(3))
                .endsWith("order: start-first\n        failure_action: rollback\n        monitor: 3s\n"));
        assertTrue(StackFile.parse("version: '3.10'\nservices: {web: {image: x}}", "c").defaults(Duration.ofSeconds(3))
                .startsWith("version: '3.10'"));
        assertEquals("", StackFile.parse(FILE.replace("    image: ${APP_IMAGE}\n", "    image: x\n    deploy: {update_config: {}}\n"),
                "c").defaults(Duration.ofSeconds(3)));
    }

    @Test
    void aHostNetworkByItsOwnKeyCounts() {
        assertEquals(List.of("web"), StackFile.parse("version: '3.8'\nservices: {web: {image: x, networks: {host: {}}}}\nnetworks: {host: {external: true}}",
                "c").onHostNetwork());
    }

    @Test
    void networkModeAndOldVersionsAreRefused() {
        ActionException mode = assertThrows(ActionException.class, () -> StackFile.parse(
                "version: '3.8'\nservices: {web: {image: x, network_mode: host}}", "compose.yaml"));
        assertEquals("compose.yaml: the service web sets network_mode, which docker stack deploy ignores. With engine:"
                + " swarm, join the host network instead: networks: [hostnet] in the service, and networks: {hostnet:"
                + " {external: true, name: host}} at the top (docs/swarm.md).", mode.getMessage());
        ActionException version = assertThrows(ActionException.class, () -> StackFile.parse(
                "version: '2.4'\nservices: {web: {image: x}}", "compose.yaml"));
        assertEquals("compose.yaml says version: '2.4', and docker stack deploy of Docker 20.10 (Debian 12's docker.io) reads"
                + " only files of format 3. With engine: swarm, write version: \"3.8\" at its top.", version.getMessage());
        assertEquals("compose.yaml has no version:, and docker stack deploy of Docker 20.10 (Debian 12's docker.io) reads"
                + " only files of format 3. With engine: swarm, write version: \"3.8\" at its top.", assertThrows(
                        ActionException.class, () -> StackFile.parse("services: {web: {image: x}}", "compose.yaml")).getMessage());
    }
}
