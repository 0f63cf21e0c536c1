package com.pyerp.deployaction.deploy;

/** How far the deploy got on one server: its line in the summary and in {@code .deploy/releases.log}. */
enum HostOutcome {
    NOT_STARTED("not started"),
    FAILED_PREFLIGHT("failed in preflight"),
    FAILED_LOCK("failed to take the lock"),
    FAILED_UPLOAD("failed to upload"),
    FAILED_PULL("failed to pull"),
    FAILED_RECORD("failed to read the running version"),
    FAILED_MIGRATION("failed in the migration"),
    /** Ready for the new release, but the deploy failed before this host's turn: nothing changed here. */
    NOT_REACHED("not reached: the deploy stopped before this host"),
    FAILED_START("failed to start the new version"),
    DEPLOYED("deployed"),
    UNHEALTHY_NOT_ROLLED_BACK("failed health check, not rolled back"),
    NOT_SWITCHED("failed health check, old version kept serving"),
    ROLLED_BACK("rolled back"),
    LOCK_LOST("stopped: another deploy took the lock over");

    private final String label;

    HostOutcome(String label) {
        this.label = label;
    }

    /** Whether this server's own failure was already dealt with here: rolled back, or left as rollback allowed. */
    boolean settled() {
        return this == ROLLED_BACK || this == UNHEALTHY_NOT_ROLLED_BACK || this == NOT_SWITCHED;
    }

    @Override
    public String toString() {
        return label;
    }
}
