package com.pyerp.deployaction.ssh;

import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.action.Input;
import com.pyerp.deployaction.action.Inputs;
import java.util.List;

/**
 * The {@code ssh-key}, {@code ssh-key-passphrase}, {@code ssh-known-hosts} and {@code ssh-fingerprint} inputs,
 * checked and turned into an {@link SshConnector}, before any connection. Shared by deploys and server setup.
 */
public final class SshInputs {

    private SshInputs() {}

    /**
     * @param hosts every host that will be contacted (jump host included), so that a missing host key fails now
     * @param jumpHost null for direct connections
     */
    public static SshConnector connector(Inputs inputs, List<SshEndpoint> hosts, SshEndpoint jumpHost, SshOptions options) {
        if (!inputs.isSet(Input.SSH_KEY)) {
            throw new ActionException("Invalid input: ssh-key", "Input 'ssh-key' is empty, and the action logs in with a"
                    + " key only. Set ssh-key: ${{ secrets.SSH_KEY }} (the private key of the SSH user).");
        }
        SshKey key = SshKey.parse(inputs.untrimmed(Input.SSH_KEY), inputs.untrimmed(Input.SSH_KEY_PASSPHRASE));
        HostKeyPolicy policy;
        try {
            policy = HostKeyPolicy.of(inputs.untrimmed(Input.SSH_KNOWN_HOSTS), inputs.list(Input.SSH_FINGERPRINT));
        } catch (IllegalArgumentException e) {
            String input = e.getMessage().startsWith("ssh-fingerprint") ? "ssh-fingerprint" : "ssh-known-hosts";
            throw new ActionException("Invalid input: " + input, "Input " + e.getMessage() + ".");
        }
        for (SshEndpoint host : hosts) {
            policy.requireFor(host.host(), host.port());
        }
        if (jumpHost != null) {
            policy.requireFor(jumpHost.host(), jumpHost.port());
        }
        return new SshConnector(key, policy, jumpHost, options);
    }
}
