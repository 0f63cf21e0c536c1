package com.pyerp.deployaction.config;

/**
 * What the server should end up with.
 *
 * @param publicKey the OpenSSH public key line the deploy logs in with, empty to leave authorized_keys alone
 * @param registry where the app user logs in, or null for no login
 * @param proxy the reverse proxy to install and run
 */
public record SetupTarget(String appUser, String appDir, String publicKey, Registry registry, Proxy proxy) {

    /**
     * The {@code proxy} input. {@code CADDY}: the distribution's Caddy, run from {@code caddy-api.service}, whose
     * admin API at {@link ProxySwitch#DEFAULT_ADMIN} has the HTTP server {@link ProxySwitch#DEFAULT_SERVER} on :443,
     * where deploys with {@code switch: proxy} put their routes.
     */
    public enum Proxy {
        NONE, CADDY
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
