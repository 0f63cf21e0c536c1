package com.pyerp.deployaction.server;

import com.pyerp.deployaction.config.ServerFact;
import java.util.ArrayList;
import java.util.List;

/**
 * What the server says about itself, for server-specific {@code .env} values: its host name and its addresses
 * ({@code hostname -I}: every configured address except loopback and link-local, public and private alike).
 */
public record ServerFacts(String hostname, List<String> addresses) {

    public ServerFacts {
        addresses = List.copyOf(addresses);
    }

    /** From the output of {@code hostname} and {@code hostname -I}. */
    public static ServerFacts parse(String hostname, String addresses) {
        List<String> list = new ArrayList<>();
        for (String address : addresses.strip().split("\\s+")) {
            if (!address.isEmpty() && !list.contains(address)) {
                list.add(address);
            }
        }
        return new ServerFacts(hostname.strip(), list);
    }

    /**
     * The value for {@code fact}, or empty when the server does not know it: the host name, the first address,
     * or the host name and every address joined with commas (Django's {@code ALLOWED_HOSTS} form).
     */
    public String value(ServerFact fact) {
        return switch (fact) {
            case HOSTNAME -> hostname;
            case IP -> addresses.isEmpty() ? "" : addresses.get(0);
            case HOSTS -> {
                List<String> hosts = new ArrayList<>();
                if (!hostname.isEmpty()) {
                    hosts.add(hostname);
                }
                hosts.addAll(addresses);
                yield String.join(",", hosts);
            }
        };
    }
}
