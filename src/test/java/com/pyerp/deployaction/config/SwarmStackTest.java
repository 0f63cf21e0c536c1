package com.pyerp.deployaction.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.action.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** deploy-config's {@code engine} and {@code stack}: defaults, and one error per bad value that names it. */
class SwarmStackTest {

    private static final String SECTION = "environments:\n  production:\n    hosts: [m1.example.com, m2.example.com]\n"
            + "    app-dir: /srv/PyERP.app\n";

    @TempDir
    Path directory;

    private DeployTarget target(String extra) throws Exception {
        Files.writeString(directory.resolve("compose.yaml"), "services: {web: {image: '${APP_IMAGE}'}}\n");
        Files.writeString(directory.resolve("deploy.yml"), SECTION + extra);
        Inputs inputs = Inputs.from(Map.of("INPUT_DEPLOY-CONFIG", "deploy.yml"), Map.of());
        return new Configuration(inputs, new Workspace(directory, null), Map.of(), ContextSource.WORKFLOW).deploy()
                .targets().decide(DeployTargetsTest.context("push", "refs/heads/main")).target();
    }

    private void assertRefused(String extra, String message) {
        ActionException e = assertThrows(ActionException.class, () -> target(extra));
        assertEquals(DeployConfigFile.TITLE, e.title());
        assertEquals(message, e.getMessage());
    }

    @Test
    void composeIsTheDefault() throws Exception {
        assertNull(target("").swarm());
        assertNull(target("    engine: compose\n").swarm());
    }

    @Test
    void theStackIsNamedAfterTheProjectElseAppDir() throws Exception {
        assertEquals(new SwarmStack("pyerpapp"), target("    engine: swarm\n").swarm());
        assertEquals(new SwarmStack("erp"), target("    engine: swarm\n    project: erp\n").swarm());
        assertEquals(new SwarmStack("erp_prod"), target("    engine: swarm\n    stack: erp_prod\n").swarm());
    }

    @Test
    void badValuesAreRefusedWithTheirLine() {
        assertRefused("    engine: kubernetes\n", "deploy.yml:5: 'engine' of environment 'production' 'kubernetes' must be"
                + " compose or swarm.");
        assertRefused("    engine: swarm\n    stack: Erp!\n", "deploy.yml:6: 'stack' of environment 'production' 'Erp!'"
                + " must be a stack name: lower-case letters, digits, '-' and '_', at most 40 characters.");
        assertRefused("    stack: erp\n", "deploy.yml:5: 'stack' of environment 'production' applies only with engine:"
                + " swarm; set engine: swarm or remove it.");
    }

    @Test
    void theComposeEnginesHostByHostKeysAreRefused() {
        for (String key : new String[] {"strategy: parallel", "batch-size: 2", "switch: proxy"}) {
            assertRefused("    engine: swarm\n    " + key + "\n", "deploy.yml:6: '" + key.substring(0, key.indexOf(':'))
                    + "' of environment 'production' does not apply with engine: swarm, where Swarm rolls the tasks out"
                    + " by the compose file's deploy.update_config; remove it.");
        }
    }

    @Test
    void defaultNamesAreStackNames() {
        assertEquals("app", SwarmStack.defaultName("/"));
        assertEquals("erp-1", SwarmStack.defaultName("/srv/-Erp-1"));
    }
}
