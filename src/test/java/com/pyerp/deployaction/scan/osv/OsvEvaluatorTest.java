package com.pyerp.deployaction.scan.osv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.pyerp.deployaction.scan.inventory.Package;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OsvEvaluatorTest {

    private static OsvRecord record(String ecosystem, String name, String events, String versions) throws Exception {
        return OsvRecord.from(new ObjectMapper().readTree("{\"id\":\"OSV-1\",\"modified\":\"2024-01-01T00:00:00Z\","
                + "\"affected\":[{\"package\":{\"ecosystem\":\"" + ecosystem + "\",\"name\":\"" + name + "\"},"
                + "\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[" + events + "]}],\"versions\":[" + versions + "]}]}"));
    }

    private static OsvEvaluator.Verdict pypi(OsvRecord record, String version) {
        return OsvEvaluator.evaluate(record, Package.Type.PYPI, "PyPI", "django", version);
    }

    @Test
    void unsortedEventsAndTwoRangesInOne() throws Exception {
        OsvRecord record = record("PyPI", "Django", "{\"fixed\":\"4.2.3\"},{\"introduced\":\"4.2\"},"
                + "{\"fixed\":\"3.2.20\"},{\"introduced\":\"0\"}", "");

        assertEquals(new OsvEvaluator.Verdict(true, Optional.of("3.2.20")), pypi(record, "3.2.19"));
        assertFalse(pypi(record, "3.2.20").affected());
        assertFalse(pypi(record, "4.1").affected());
        assertFalse(pypi(record, "4.2rc1").affected(), "4.2rc1 comes before 4.2");
        assertEquals(new OsvEvaluator.Verdict(true, Optional.of("4.2.3")), pypi(record, "4.2"));
        assertFalse(pypi(record, "4.2.3").affected());
    }

    @Test
    void lastAffectedIncludesItselfAndHasNoFix() throws Exception {
        OsvRecord record = record("PyPI", "django", "{\"introduced\":\"1.0\"},{\"last_affected\":\"1.4\"}", "");

        assertEquals(new OsvEvaluator.Verdict(true, Optional.empty()), pypi(record, "1.4"));
        assertFalse(pypi(record, "1.4.1").affected());
        assertFalse(pypi(record, "0.9").affected());
    }

    @Test
    void limitCapsTheRange() throws Exception {
        OsvRecord record = record("PyPI", "django", "{\"introduced\":\"0\"},{\"limit\":\"2.0\"}", "");

        assertTrue(pypi(record, "1.9").affected());
        assertFalse(pypi(record, "2.0").affected());
        assertFalse(pypi(record, "3.0").affected());
    }

    @Test
    void explicitVersionsCountWithoutRanges() throws Exception {
        OsvRecord record = record("PyPI", "django", "", "\"1.0.1\",\"1.0.3\"");

        assertTrue(pypi(record, "1.0.1").affected());
        assertFalse(pypi(record, "1.0.2").affected());
    }

    @Test
    void debianIsMatchedByReleaseAndDpkgOrder() throws Exception {
        OsvRecord record = record("Debian:12", "openssl", "{\"introduced\":\"0\"},{\"fixed\":\"3.0.11-1~deb12u2\"}", "");

        assertTrue(OsvEvaluator.evaluate(record, Package.Type.DEB, "Debian:12", "openssl", "3.0.11-1~deb12u1").affected());
        assertFalse(OsvEvaluator.evaluate(record, Package.Type.DEB, "Debian:12", "openssl", "3.0.11-1~deb12u2").affected());
        assertFalse(OsvEvaluator.evaluate(record, Package.Type.DEB, "Debian:11", "openssl", "3.0.11-1~deb12u1").affected(),
                "another release's advisory");
        assertFalse(OsvEvaluator.evaluate(record, Package.Type.DEB, "Debian:12", "libssl3", "3.0.11-1~deb12u1").affected(),
                "the binary package's name is not the source's");
    }

    @Test
    void aliasesGroupTransitively() throws Exception {
        ObjectMapper json = new ObjectMapper();
        OsvRecord debian = OsvRecord.from(json.readTree("{\"id\":\"DEBIAN-CVE-2024-1\",\"upstream\":[\"CVE-2024-1\"]}"));
        OsvRecord dsa = OsvRecord.from(json.readTree("{\"id\":\"DSA-5000-1\",\"upstream\":[\"CVE-2024-1\",\"CVE-2024-2\"]}"));
        OsvRecord other = OsvRecord.from(json.readTree("{\"id\":\"DEBIAN-CVE-2024-3\"}"));

        assertEquals(2, Matcher.groupByAlias(java.util.List.of(debian, other, dsa)).size());
    }

    @Test
    void cvssVectorsGiveBaseScores() {
        assertEquals(Optional.of(9.8), Matcher.baseScore("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"));
        assertEquals(Optional.of(5.3), Matcher.baseScore("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N"));
        assertEquals(Optional.of(7.5), Matcher.baseScore("AV:N/AC:L/Au:N/C:P/I:P/A:P"));
        assertEquals(Optional.empty(), Matcher.baseScore("not a vector"));
    }
}
