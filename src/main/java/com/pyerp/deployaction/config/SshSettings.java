package com.pyerp.deployaction.config;

import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.ssh.HostKeyPolicy;
import com.pyerp.deployaction.ssh.SshConnector;
import com.pyerp.deployaction.ssh.SshEndpoint;
import com.pyerp.deployaction.ssh.SshKey;
import com.pyerp.deployaction.ssh.SshOptions;
import java.util.List;

/**
 * The SSH inputs (key, passphrase, known hosts, fingerprints) as given. They are checked and turned into an
 * {@link SshConnector} when a run knows its hosts, before any connection. Shared by deploys and server setup.
 *
 * @param key empty when not set; a secret, like the passphrase
 */
public record SshSettings(String key, String passphrase, String knownHosts, List<String> fingerprints) {

    static SshSettings from(Inputs inputs) {
        return new SshSettings(inputs.untrimmed(Input.SSH_KEY), inputs.untrimmed(Input.SSH_KEY_PASSPHRASE),
                inputs.untrimmed(Input.SSH_KNOWN_HOSTS), inputs.list(Input.SSH_FINGERPRINT));
    }

    /**
     * @param hosts every host that will be contacted (jump host included), so that a missing host key fails now
     * @param jumpHost null for direct connections
     */
    public SshConnector connector(List<SshEndpoint> hosts, SshEndpoint jumpHost, SshOptions options) {
        if (key.isBlank()) {
            throw new ActionException("Invalid input: ssh-key", "Input 'ssh-key' is empty, and the action logs in with a"
                    + " key only. Set ssh-key: ${{ secrets.SSH_KEY }} (the private key of the SSH user).");
        }
        SshKey parsed = SshKey.parse(key, passphrase);
        HostKeyPolicy policy;
        try {
            policy = HostKeyPolicy.of(knownHosts, fingerprints);
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
        return new SshConnector(parsed, policy, jumpHost, options);
    }

    @Override
    public String toString() {
        return "SshSettings[key=" + (key.isBlank() ? "(none)" : "(secret)") + ", fingerprints=" + fingerprints + "]";
    }
}
