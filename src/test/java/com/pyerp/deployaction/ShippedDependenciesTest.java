package com.pyerp.deployaction;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.Version;
import org.junit.jupiter.api.Test;

/** Versions of what the jar bundles that scanners would flag. */
class ShippedDependenciesTest {

    @Test
    void jacksonCoreIsPastTheAsyncParserAdvisories() {
        // GHSA-72hv-8253-57qq and GHSA-r7wm-3cxj-wff9 are fixed in 2.21.4.
        Version shipped = com.fasterxml.jackson.core.json.PackageVersion.VERSION;
        assertTrue(shipped.compareTo(new Version(2, 21, 4, null, "com.fasterxml.jackson.core", "jackson-core")) >= 0,
                shipped.toString());
    }
}
