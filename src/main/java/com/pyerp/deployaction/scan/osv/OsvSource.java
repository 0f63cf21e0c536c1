package com.pyerp.deployaction.scan.osv;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Where OSV records come from: the API or an offline export. Both return candidates; the evaluator decides. */
public interface OsvSource {

    /** Thrown when the source cannot answer at all (API down, unreadable export). */
    final class Unavailable extends IOException {
        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    String description();

    Map<Matcher.Query, List<OsvRecord>> candidates(Collection<Matcher.Query> queries) throws Unavailable;
}
