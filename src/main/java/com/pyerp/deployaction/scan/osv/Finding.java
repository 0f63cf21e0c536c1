package com.pyerp.deployaction.scan.osv;

import com.pyerp.deployaction.results.Severity;
import com.pyerp.deployaction.scan.inventory.Package;
import java.util.List;
import java.util.Optional;

/**
 * One vulnerability of one installed package, after the records that name it (CVE, DSA, DEBIAN-CVE, GHSA, PYSEC)
 * were merged.
 *
 * @param id the id shown: the CVE when there is one
 * @param otherIds every other id of the same vulnerability
 * @param score the CVSS base score, when a vector was given
 */
public record Finding(Package pkg, String id, List<String> otherIds, Severity severity, Optional<Double> score,
        String vector, Optional<String> fixed, String title, String url) {

    public boolean fixable() {
        return fixed.isPresent();
    }

    /** The id and every alias. */
    public List<String> allIds() {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(id), otherIds.stream()).toList();
    }
}
