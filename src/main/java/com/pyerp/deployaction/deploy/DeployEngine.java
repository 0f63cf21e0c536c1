package com.pyerp.deployaction.deploy;

import java.time.Duration;
import java.util.List;

/**
 * How a release runs on a server, behind {@link HostDeploy}'s step sequence (lock, files, migration, switch, health,
 * rollback, release log), which stays the same whatever the engine: {@link ComposeEngine}, Docker Compose over SSH,
 * replaces the containers in place; {@link ProxyEngine} starts the release beside the old one and switches a proxy;
 * {@link SwarmEngine} updates a Swarm stack through one manager.
 */
interface DeployEngine {

    /** Probes the server for the engine's own programs; returns those to look for on the PATH with the others. */
    List<String> programsToCheck();

    /** Picks how to run the engine from the programs {@code missing} on the server, or says what to install. */
    void requirePrograms(List<String> missing);

    /** After {@link #requirePrograms}: fails, saying what to do, when the server cannot run the engine. */
    default void requireReady() {
    }

    /** Checks the uploaded files as the engine reads them. */
    void validate(String image);

    /** Brings the release's image onto the server. */
    void pull();

    /** The image that runs now, the rollback target; empty on a first deploy. */
    String runningImage();

    /** Runs the migration once, with the new image and files; a failure says that nothing was switched. */
    void migrate();

    /**
     * Whether {@link #start} runs the release beside the serving one, which keeps serving until {@link #switchTraffic};
     * else {@link #start} itself switches.
     */
    default boolean startsBeside() {
        return false;
    }

    /** Switches the app's services to {@code image}, without taking anything down first; or starts it beside. */
    void start(String image);

    /** Brings {@code previousImage} back after the release failed; {@link #waitHealthy} follows. */
    default void restore(String previousImage) {
        start(previousImage);
    }

    /** Moves the traffic to the release started last, which is healthy, in one change. */
    default void switchTraffic() {
    }

    /** After {@link #switchTraffic}: the release it replaced drains and stops; the other services follow. */
    default void retire() {
    }

    /** Stops the release started last beside the serving one, which never took traffic. */
    default void discard() {
    }

    /** Before a migration that cannot overlap: new requests wait for the release about to start, and the old one stops. */
    default void hold() {
    }

    /** Whether requests are held for a release that has not taken them yet. */
    default boolean holds() {
        return false;
    }

    /**
     * After {@link #hold}, when the migration or the release failed: {@code previousImage} starts where the held requests
     * wait, and takes them; null when it is healthy, else what was wrong.
     */
    default String resume(String previousImage) {
        return null;
    }

    /** Null when {@code image} is healthy within the health timeout (at least {@code atLeast}); else what was wrong. */
    String waitHealthy(String image, Duration atLeast);

    /** The last lines the new release's services logged, after it failed, for the error message. */
    String lastLogLines();

    /** Markdown for the summary below the hosts' table: what runs where now; empty for nothing more. */
    default String report() {
        return "";
    }

    /** Removes old images of the release's repository, never the release's nor {@code previousImage}. */
    void prune(String previousImage);
}
