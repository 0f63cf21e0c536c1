package com.pyerp.deployaction.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.pyerp.deployaction.ssh.SshEndpoint;
import java.util.LinkedHashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeployStageTest {

    private static final SshEndpoint ERP1 = new SshEndpoint("deploy", "erp1", 22);
    private static final SshEndpoint ERP2 = new SshEndpoint("deploy", "erp2", 22);
    private static final SshEndpoint ERP3 = new SshEndpoint("deploy", "erp3", 22);

    @Test
    void hostsDeployInDeployConfigsOrderWhicheverConnectedFirst() {
        assertEquals(List.of(ERP1, ERP2, ERP3), DeployStage.inConfiguredOrder(List.of(ERP1, ERP2, ERP3),
                new LinkedHashSet<>(List.of(ERP3, ERP2, ERP1))));
    }

    @Test
    void onlyConnectedHostsDeploy() {
        assertEquals(List.of(ERP1, ERP3), DeployStage.inConfiguredOrder(List.of(ERP1, ERP2, ERP3), List.of(ERP3, ERP1)));
    }

    @Test
    void aHostTheDeployNeverReachedIsNotSettledAndSaysWhy() {
        assertFalse(HostOutcome.NOT_REACHED.settled(), "a host that was never switched is not rolled back either");
        assertEquals("not reached: the deploy stopped before this host", HostOutcome.NOT_REACHED.toString());
    }
}
