package com.pyerp.deployaction.scan.osv;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.pyerp.deployaction.action.LocalCache;
import com.pyerp.deployaction.os.OsRelease;
import com.pyerp.deployaction.results.Severity;
import com.pyerp.deployaction.scan.Gate;
import com.pyerp.deployaction.scan.IgnoreList;
import com.pyerp.deployaction.scan.inventory.Package;
import java.net.URI;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API path and the offline path give the same findings, through the one evaluator. */
public class OsvMatchingTest {

    public static final OsRelease BOOKWORM = new OsRelease("debian", "12", "bookworm", "Debian GNU/Linux 12 (bookworm)");
    private static final LocalDate TODAY = LocalDate.of(2099, 6, 1);

    @TempDir
    Path dir;

    private WireMockServer api;

    @BeforeEach
    void start() {
        api = OsvFixtures.api();
    }

    @AfterEach
    void stop() {
        api.stop();
    }

    /** Packages as they are in the pyERP test image. */
    public static List<Package> imagePackages() {
        return List.of(
                deb("libssl3", "3.0.22-1~deb12u2", "openssl", "3.0.22-1~deb12u2"),
                deb("openssl", "3.0.22-1~deb12u2", "openssl", "3.0.22-1~deb12u2"),
                deb("zlib1g", "1:1.2.13.dfsg-1", "zlib", "1:1.2.13.dfsg-1"),
                deb("tzdata", "2026f-0+deb12u1", "tzdata", "2026f-0+deb12u1"),
                pypi("Django", "3.2.25"), pypi("Pillow", "9.4.0"), pypi("sqlparse", "0.4.2"), pypi("six", "1.16.0"));
    }

    private static Package deb(String name, String version, String source, String sourceVersion) {
        return new Package(Package.Type.DEB, name, version, source, sourceVersion,
                "pkg:deb/debian/" + name + "@" + version + "?arch=amd64&distro=debian-12", "sha256:base", "var/lib/dpkg/status");
    }

    private static Package pypi(String name, String version) {
        return new Package(Package.Type.PYPI, name, version, name, version, "pkg:pypi/"
                + Package.normalizePython(name) + "@" + version, "sha256:deps", "app/deps/" + name + "-" + version + ".egg-info");
    }

    public static Set<Matcher.Query> queries(List<Package> packages) {
        return Matcher.queries(packages, BOOKWORM);
    }

    private List<Finding> online(Path cache) throws Exception {
        OnlineOsv osv = new OnlineOsv(URI.create(api.baseUrl()), new LocalCache(cache));
        return Matcher.findings(imagePackages(), BOOKWORM, osv.candidates(queries(imagePackages())));
    }

    static List<String> describe(List<Finding> findings) {
        return findings.stream().map(f -> f.pkg().name() + " " + f.id() + " " + f.severity() + " "
                + f.score().map(String::valueOf).orElse("-") + " fixed=" + f.fixed().orElse("-")).toList();
    }

    @Test
    void onlineAndOfflineGiveTheSameFindings() throws Exception {
        List<Finding> online = online(dir.resolve("cache"));
        List<Finding> offline = Matcher.findings(imagePackages(), BOOKWORM,
                new OfflineOsv(OsvFixtures.writeExport(dir.resolve("osv"))).candidates(queries(imagePackages())));

        assertEquals(List.of(
                "Django CVE-2099-0004 HIGH 7.5 fixed=3.2.99",
                "libssl3 CVE-2099-0001 CRITICAL 9.8 fixed=3.0.99-1~deb12u1",
                "openssl CVE-2099-0001 CRITICAL 9.8 fixed=3.0.99-1~deb12u1",
                "sqlparse CVE-2099-0007 MEDIUM - fixed=0.5.0",
                "tzdata CVE-2099-0003 LOW - fixed=-"), describe(online));
        assertEquals(online, offline);
        Finding django = online.get(0);
        assertEquals(List.of("GHSA-2099-aaaa-bbbb", "PYSEC-2099-4"), django.otherIds());
        assertEquals(List.of("DEBIAN-CVE-2099-0001", "DSA-9999-1"), online.get(1).otherIds());
        // openssl and Django have two records each, one per page: the second pages were asked for
        assertEquals(2, api.findAll(postRequestedFor(urlPathMatching("/v1/querybatch"))).size());
    }

    @Test
    void pythonFromDebianPackagesIsLeftToDebiansAdvisories() throws Exception {
        Package debianDjango = new Package(Package.Type.PYPI, "Django", "3.2.25", "Django", "3.2.25",
                "pkg:pypi/django@3.2.25", "sha256:base", "usr/lib/python3/dist-packages/Django-3.2.25.egg-info/PKG-INFO");
        Package pipDjango = pypi("Django", "3.2.25");

        assertFalse(Matcher.queryable(debianDjango, BOOKWORM));
        assertTrue(Matcher.queryable(pipDjango, BOOKWORM));
        OnlineOsv osv = new OnlineOsv(URI.create(api.baseUrl()), new LocalCache(dir.resolve("cache")));
        assertEquals(List.of("Django CVE-2099-0004 HIGH 7.5 fixed=3.2.99"), describe(Matcher.findings(
                List.of(debianDjango, pipDjango), BOOKWORM, osv.candidates(queries(List.of(pipDjango))))));
    }

    @Test
    void recordsAreFetchedAgainOnlyWhenModifiedChanges() throws Exception {
        Path cache = dir.resolve("cache");
        online(cache);
        int fetched = api.findAll(getRequestedFor(urlPathMatching("/v1/vulns/.*"))).size();
        online(cache);

        assertEquals(8, fetched, "every id the batch named, once");
        assertEquals(fetched, api.findAll(getRequestedFor(urlPathMatching("/v1/vulns/.*"))).size(), "all from the cache");
    }

    @Test
    void theGateDecidesWhatIsReported() throws Exception {
        List<Finding> findings = online(dir.resolve("cache"));

        assertEquals(List.of("Django", "libssl3", "openssl"), names(new Gate(Severity.HIGH, false, IgnoreList.NONE)
                .apply(findings, TODAY).reported()));
        assertEquals(List.of("libssl3", "openssl"), names(new Gate(Severity.HIGH, false,
                IgnoreList.ofIds(List.of("GHSA-2099-aaaa-bbbb"))).apply(findings, TODAY).reported()), "ignored by an alias");
        assertEquals(List.of("Django", "libssl3", "openssl", "sqlparse"), names(new Gate(Severity.LOW, true,
                IgnoreList.NONE).apply(findings, TODAY).reported()), "the unfixed tzdata finding is left out");
        IgnoreList expiring = IgnoreList.parse("# accepted until the next release\nCVE-2099-0001 exp:2099-06-01\n"
                + "CVE-2099-0004 exp:2099-06-02\n");
        Gate.Outcome outcome = new Gate(Severity.HIGH, false, expiring).apply(findings, TODAY);
        assertEquals(List.of("libssl3", "openssl"), names(outcome.reported()), "an entry stops counting on its expiry day");
        assertEquals(1, outcome.ignored());
        assertEquals(2, outcome.belowThreshold());
    }

    @Test
    void transientFailuresAreTriedAgain() throws Exception {
        api.stubFor(post("/v1/querybatch").inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("up"));
        api.stubFor(post("/v1/querybatch").inScenario("flaky").whenScenarioStateIs("up")
                .willReturn(aResponse().withTransformers(OsvFixtures.Batch.NAME)));
        api.stubFor(get("/v1/vulns/GHSA-2099-aaaa-bbbb").inScenario("busy").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429)).willSetStateTo("calm"));

        assertEquals(5, online(dir.resolve("cache")).size());
        assertEquals(2, api.findAll(getRequestedFor(urlPathMatching("/v1/vulns/GHSA-2099-aaaa-bbbb"))).size());
    }

    @Test
    void aRefusalIsNotTriedAgain() {
        api.stubFor(post("/v1/querybatch").willReturn(aResponse().withStatus(400)));

        OsvSource.Unavailable refused = assertThrows(OsvSource.Unavailable.class, () -> online(dir.resolve("cache")));
        assertEquals("POST " + api.baseUrl() + "/v1/querybatch answered HTTP 400", refused.getMessage());
        assertEquals(1, api.findAll(postRequestedFor(urlPathMatching("/v1/querybatch"))).size());
    }

    @Test
    void anUnreachableApiIsUnavailable() {
        OnlineOsv osv = new OnlineOsv(URI.create("http://127.0.0.1:1"), new LocalCache(dir.resolve("cache")));

        OsvSource.Unavailable down = assertThrows(OsvSource.Unavailable.class, () -> osv.candidates(queries(imagePackages())));
        assertTrue(down.getMessage().startsWith("http://127.0.0.1:1 did not answer"), down.getMessage());
    }

    @Test
    void malformedExpiryDatesNameTheLine() {
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> IgnoreList.parse("CVE-2099-1\nCVE-2099-2 exp:tomorrow\n"));
        assertEquals("line 2: 'exp:tomorrow' is not an expiry date; write exp:YYYY-MM-DD", bad.getMessage());
        assertEquals(Optional.of(LocalDate.of(2099, 1, 31)), IgnoreList.parse("GHSA-x exp:2099-01-31").entries().get(0).expires());
    }

    private static List<String> names(List<Finding> findings) {
        return findings.stream().map(f -> f.pkg().name()).toList();
    }
}
