package com.pyerp.deployaction.ssh;

/** Receives a remote command's output line by line, as it is produced. Called from reader threads. */
@FunctionalInterface
public interface OutputListener {

    OutputListener SILENT = (stderr, line) -> {};

    void line(boolean stderr, String line);
}
