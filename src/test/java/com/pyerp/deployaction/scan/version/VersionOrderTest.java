package com.pyerp.deployaction.scan.version;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pyerp.deployaction.debian.DebianVersion;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The three version orders against published ordering examples. */
class VersionOrderTest {

    /** PEP 440, "Summary of permitted suffixes and relative ordering": the spec's own list, in order. */
    private static final List<String> PEP_440_EXAMPLE = List.of("1.dev0", "1.0.dev456", "1.0a1", "1.0a2.dev456",
            "1.0a12.dev456", "1.0a12", "1.0b1.dev456", "1.0b2", "1.0b2.post345.dev456", "1.0b2.post345",
            "1.0rc1.dev456", "1.0rc1", "1.0", "1.0+abc.5", "1.0+abc.7", "1.0+5", "1.0.post456.dev34", "1.0.post456",
            "1.0.15", "1.1.dev1");

    /** deb-version(7) and Debian Policy 5.6.12: "~~" < "~~a" < "~" < "" < "a", and the usual Debian suffixes. */
    private static final List<String> DPKG_EXAMPLE = List.of("1.0~~", "1.0~~a", "1.0~", "1.0", "1.0a", "1.0+",
            "1.0.1", "1.0.1-1~deb12u1", "1.0.1-1", "1.0.1-1+deb12u1", "1.0.1-1+deb12u2", "1.0.1-1+deb12u10",
            "1.0.1-2", "1.2.3~rc1-1", "1.2.3-1", "2.30", "3.10", "1:0.4");

    private static final List<String> APK_EXAMPLE = List.of("1.2.3_alpha1-r0", "1.2.3_beta-r0", "1.2.3_rc1-r0",
            "1.2.3-r0", "1.2.3-r1", "1.2.3_p1-r0", "1.2.3a-r0", "1.2.4-r0", "1.9-r0", "1.10-r0", "3.0.8-r0",
            "3.0.10-r0");

    @Test
    void pep440SortsTheSpecificationsExample() {
        assertSorts(PEP_440_EXAMPLE, Pep440Order.ORDER);
    }

    @Test
    void dpkgSortsPolicyExamples() {
        assertSorts(DPKG_EXAMPLE, DebianVersion.ORDER);
    }

    @Test
    void apkSortsSuffixesAndRevisions() {
        assertSorts(APK_EXAMPLE, ApkVersion.ORDER);
    }

    @ParameterizedTest
    @CsvSource({"1.0alpha1,1.0a1", "1.0-1,1.0.post1", "v1.0,1.0", "1.0.0,1.0", "1.0RC1,1.0rc1", "1.0c1,1.0rc1",
            "1.0-dev,1.0.dev0", "1.0.post,1.0.post0", "1!1.0,1!1.0.0", "1.0_a_1,1.0a1", "1.0rev2,1.0.post2"})
    void pep440NormalFormsAreEqual(String a, String b) {
        assertEquals(0, Pep440Order.compare(a, b), a + " = " + b);
    }

    @ParameterizedTest
    @CsvSource({"1.0,1.0-0", "0:1.0-1,1.0-1", "1.0-1,1.0-01"})
    void dpkgEqualVersions(String a, String b) {
        assertEquals(0, DebianVersion.compare(a, b), a + " = " + b);
    }

    @Test
    void epochsWinOverEverything() {
        assertTrue(Pep440Order.compare("1!0.1", "2024.1") > 0);
        assertTrue(DebianVersion.compare("1:0.1", "99.0") > 0);
    }

    @Test
    void nonPep440VersionsSortBelowValidOnes() {
        assertTrue(Pep440Order.compare("not a version", "0.0.1.dev0") < 0);
        assertTrue(Pep440Order.compare("0.0.1.dev0", "french toast") > 0);
    }

    private static void assertSorts(List<String> expected, Comparator<String> order) {
        for (int i = 0; i + 1 < expected.size(); i++) {
            assertTrue(order.compare(expected.get(i), expected.get(i + 1)) < 0, expected.get(i) + " < " + expected.get(i + 1));
            assertTrue(order.compare(expected.get(i + 1), expected.get(i)) > 0, expected.get(i + 1) + " > " + expected.get(i));
        }
        Random random = new Random(440);
        for (int round = 0; round < 20; round++) {
            List<String> shuffled = new ArrayList<>(expected);
            Collections.shuffle(shuffled, random);
            shuffled.sort(order);
            assertEquals(expected, shuffled);
        }
    }
}
