package com.pyerp.deployaction.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.action.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * One environment's section of deploy-config, {@code production}, read the way a push to main reads it: a test gives
 * the section's first lines and each case adds its keys.
 */
record SectionFixture(Path directory, String section) {

    /** The environment resolved from the section plus {@code extra}, with a compose file beside it. */
    DeployTarget target(String extra) throws Exception {
        Files.writeString(directory.resolve("compose.yaml"), "services: {web: {image: '${APP_IMAGE}'}}\n");
        Files.writeString(directory.resolve("deploy.yml"), section + extra);
        Inputs inputs = Inputs.from(Map.of("INPUT_DEPLOY-CONFIG", "deploy.yml"), Map.of());
        return new Configuration(inputs, new Workspace(directory, null), Map.of(), ContextSource.WORKFLOW).deploy()
                .targets().decide(DeployTargetsTest.context("push", "refs/heads/main")).target();
    }

    /** The section plus {@code extra} is refused with deploy-config's error title and exactly {@code message}. */
    void assertRefused(String extra, String message) {
        ActionException e = assertThrows(ActionException.class, () -> target(extra));
        assertEquals(DeployConfigFile.TITLE, e.title());
        assertEquals(message, e.getMessage());
    }
}
