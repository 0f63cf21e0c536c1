package com.pyerp.deployaction.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** A server-specific value an env-template key can ask for: the host name, the first address, or both joined. */
public enum ServerFact {
    HOSTNAME, IP, HOSTS;

    static Optional<ServerFact> named(String name) {
        return Arrays.stream(values()).filter(fact -> fact.name().toLowerCase(Locale.ROOT).equals(name)).findFirst();
    }
}
