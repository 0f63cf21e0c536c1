package com.pyerp.deployaction.config;

import com.pyerp.deployaction.ssh.SshEndpoint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One environment, fully resolved from deploy-config and the inputs (inputs win) and checked before any
 * connection.
 *
 * @param jumpHost null for a direct connection
 * @param project the Compose project name, or empty to let Compose choose (COMPOSE_PROJECT_NAME, else app-dir's name)
 * @param envFile null when no env file is uploaded
 * @param services the Compose services to update; empty means every service
 * @param migrateCommand argv run in a one-off container of {@code migrateService}; empty means no migrations
 * @param health null when there is no health URL (then only the containers' state is checked)
 * @param url the environment's public URL for the deployment record; may be empty
 * @param batchSize hosts deployed at once: all of them for {@code parallel}, fewer for {@code rolling}
 * @param proxy null for {@code switch: stop-first}, where Compose replaces the containers in place
 * @param swarm null for {@code engine: compose}; else the Swarm stack the first manager that answers updates
 */
public record DeployTarget(
        String environment,
        List<SshEndpoint> hosts,
        SshEndpoint jumpHost,
        String appDir,
        String project,
        Path composeFile,
        Path envFile,
        List<String> services,
        List<String> migrateCommand,
        String migrateService,
        Duration migrateTimeout,
        HealthCheck health,
        String url,
        int batchSize,
        Duration lockTimeout,
        int keepImages,
        long minFreeDiskMb,
        boolean rollback,
        ProxySwitch proxy,
        SwarmStack swarm) {

    public DeployTarget {
        hosts = List.copyOf(hosts);
        services = List.copyOf(services);
        migrateCommand = List.copyOf(migrateCommand);
    }
}
