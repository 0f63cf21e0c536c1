/**
 * SSH to servers, for deploys and server setup alike. Nothing here knows about deploys or the action's inputs; the
 * configuration layer's {@code SshSettings} turns the ssh inputs into an {@link com.pyerp.deployaction.ssh.SshConnector}.
 *
 * <ol>
 *   <li>{@link com.pyerp.deployaction.ssh.SshKey#parse} loads {@code ssh-key} text (OpenSSH, PEM incl. legacy
 *       {@code Proc-Type: 4,ENCRYPTED}, PKCS#8; ed25519, RSA, ECDSA) with its passphrase, on JDK crypto only.</li>
 *   <li>{@link com.pyerp.deployaction.ssh.HostKeyPolicy#of} takes {@code ssh-known-hosts} content (plain,
 *       {@code [host]:port}, hashed) and/or {@code SHA256:} fingerprints; an empty policy refuses to connect.</li>
 *   <li>{@link com.pyerp.deployaction.ssh.SshConnector#connect} opens an
 *       {@link com.pyerp.deployaction.ssh.SshConnection} to an
 *       {@link com.pyerp.deployaction.ssh.SshEndpoint}, optionally through a jump host, with
 *       {@link com.pyerp.deployaction.ssh.SshOptions} (connect timeout, keepalive, retries).</li>
 *   <li>{@link com.pyerp.deployaction.ssh.RemoteCommand} is a command as data (argv, env, directory, stdin,
 *       server-side timeout); {@link com.pyerp.deployaction.ssh.RemoteShell#execute} /
 *       {@link com.pyerp.deployaction.ssh.RemoteShell#run} run it and stream its output to an
 *       {@link com.pyerp.deployaction.ssh.OutputListener};
 *       {@link com.pyerp.deployaction.ssh.RemoteShell#upload} writes a file atomically with a mode.</li>
 * </ol>
 *
 * <p>Failures are {@link com.pyerp.deployaction.ssh.SshException} (connect, host key, login) and
 * {@link com.pyerp.deployaction.ssh.RemoteCommandException} (a command failed or the connection dropped);
 * both are {@code ActionException}s with a message that says what to fix.
 */
package com.pyerp.deployaction.ssh;
