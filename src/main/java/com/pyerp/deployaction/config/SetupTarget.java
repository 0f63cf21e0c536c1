package com.pyerp.deployaction.config;

/**
 * What the server should end up with.
 *
 * @param publicKey the OpenSSH public key line the deploy logs in with, empty to leave authorized_keys alone
 * @param registry where the app user logs in, or null for no login
 * @param proxy the reverse proxy to install and run
 * @param swarm whether Docker becomes a swarm manager
 * @param swarmAdvertiseAddr the address (IP or interface, optionally :port) a new swarm advertises, empty for the
 *     server's own choice (the default route's source address)
 */
public record SetupTarget(String appUser, String appDir, String publicKey, Registry registry, Proxy proxy, Swarm swarm,
        String swarmAdvertiseAddr) {

    /**
     * The {@code proxy} input. {@code CADDY}: the distribution's Caddy, run from {@code caddy-api.service}, whose
     * admin API at {@link ProxySwitch#DEFAULT_ADMIN} has the HTTP server {@link ProxySwitch#DEFAULT_SERVER} on :443,
     * where deploys with {@code switch: proxy} put their routes.
     */
    public enum Proxy {
        NONE, CADDY
    }

    /**
     * The {@code swarm} input. {@code INIT}: the server's Docker engine is a swarm manager; a node outside any swarm
     * starts a single-node one.
     */
    public enum Swarm {
        NONE, INIT
    }

    /** A registry login; the password (a token) is a secret and travels on stdin only. */
    public record Registry(String host, String username, String password) {
        @Override
        public String toString() {
            return "Registry[" + host + ", " + username + "]";
        }

        /** The key {@code docker login} files the credentials under in config.json. */
        public String configKey() {
            return host.equals("docker.io") || host.equals("registry-1.docker.io") || host.equals("index.docker.io")
                    ? "https://index.docker.io/v1/" : host;
        }
    }

    public String envPath() {
        return appDir + "/.env";
    }

    public String envSourcePath() {
        return appDir + "/.env.source";
    }
}
