package com.pyerp.deployaction.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** deploy-config's {@code engine} and {@code stack}: defaults, and one error per bad value that names it. */
class SwarmStackTest {

    private static final String SECTION = "environments:\n  production:\n    hosts: [m1.example.com, m2.example.com]\n"
            + "    app-dir: /srv/PyERP.app\n";

    private final SectionFixture section;

    SwarmStackTest(@TempDir Path directory) {
        section = new SectionFixture(directory, SECTION);
    }

    @Test
    void composeIsTheDefault() throws Exception {
        assertNull(section.target("").swarm());
        assertNull(section.target("    engine: compose\n").swarm());
    }

    @Test
    void theStackIsNamedAfterTheProjectElseAppDir() throws Exception {
        assertEquals(new SwarmStack("pyerpapp"), section.target("    engine: swarm\n").swarm());
        assertEquals(new SwarmStack("erp"), section.target("    engine: swarm\n    project: erp\n").swarm());
        assertEquals(new SwarmStack("erp_prod"), section.target("    engine: swarm\n    stack: erp_prod\n").swarm());
    }

    @Test
    void badValuesAreRefusedWithTheirLine() {
        section.assertRefused("    engine: kubernetes\n", "deploy.yml:5: 'engine' of environment 'production' 'kubernetes' must be"
                + " compose or swarm.");
        section.assertRefused("    engine: swarm\n    stack: Erp!\n", "deploy.yml:6: 'stack' of environment 'production' 'Erp!'"
                + " must be a stack name: lower-case letters, digits, '-' and '_', at most 40 characters.");
        section.assertRefused("    stack: erp\n", "deploy.yml:5: 'stack' of environment 'production' applies only with engine:"
                + " swarm; set engine: swarm or remove it.");
    }

    @Test
    void theComposeEnginesHostByHostKeysAreRefused() {
        for (String key : new String[] {"strategy: parallel", "batch-size: 2", "switch: proxy"}) {
            section.assertRefused("    engine: swarm\n    " + key + "\n", "deploy.yml:6: '" + key.substring(0, key.indexOf(':'))
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
