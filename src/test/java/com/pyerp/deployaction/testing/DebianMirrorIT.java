package com.pyerp.deployaction.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The loopback Debian mirror and the python3-only base image that {@code scripts/test-services} sets up for issue 15,
 * checked as their users would: signatures with gpgv, every hash along the chain InRelease, Packages, .deb, the
 * access log, and the image's manifest, config and dpkg status in the registry.
 */
class DebianMirrorIT {

    private static final String[][] SUITES = {
        {"debian", "bookworm"}, {"debian", "bookworm-updates"}, {"debian-security", "bookworm-security"}};
    private static final String MANIFEST_TYPES = "application/vnd.docker.distribution.manifest.v2+json, "
            + "application/vnd.oci.image.manifest.v1+json";

    static TestServices services;
    static HttpClient http;

    @TempDir
    Path dir;

    @BeforeAll
    static void servers() {
        services = TestServices.require("DEBIAN_MIRROR", "REGISTRY");
        http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @ParameterizedTest
    @CsvSource({"debian, bookworm", "debian, bookworm-updates", "debian-security, bookworm-security"})
    void eachSuitesInReleaseIsServedAndDebianSignedIt(String root, String suite) throws Exception {
        byte[] inRelease = get(root + "/dists/" + suite + "/InRelease", agent());
        Path file = Files.write(dir.resolve("InRelease"), inRelease);

        Processes.Result gpgv = Processes.run("gpgv", "--keyring", services.debianKeyring().toString(), file.toString());
        assertEquals(0, gpgv.exitCode(), gpgv.output());
        assertTrue(gpgv.output().contains("Good signature from \"Debian"), gpgv.output());

        String text = new String(inRelease, StandardCharsets.UTF_8);
        assertEquals(suite, field(text, "Codename"));
        assertTrue(List.of(field(text, "Architectures").split(" ")).containsAll(List.of("amd64", "arm64")), text);
    }

    @ParameterizedTest
    @CsvSource({
        "debian, bookworm, amd64", "debian, bookworm, arm64",
        "debian, bookworm-updates, amd64", "debian, bookworm-updates, arm64",
        "debian-security, bookworm-security, amd64", "debian-security, bookworm-security, arm64"})
    void aServedPackagesFileHasTheSha256ItsInReleaseLists(String root, String suite, String arch) throws Exception {
        String agent = agent();
        String inRelease = new String(get(root + "/dists/" + suite + "/InRelease", agent), StandardCharsets.UTF_8);
        String path = "main/binary-" + arch + "/Packages";
        String[] listed = releaseEntry(inRelease, path);
        byte[] packages = get(root + "/dists/" + suite + "/" + path, agent);
        assertEquals(listed[0], sha256(packages), root + "/dists/" + suite + "/" + path);
        assertEquals(Long.parseLong(listed[1]), packages.length);
    }

    @ParameterizedTest
    @ValueSource(strings = {"amd64", "arm64"})
    void aServedLibmariadb3DebHasTheSha256ItsPackagesEntryLists(String arch) throws Exception {
        String agent = agent();
        List<Map<String, String>> served = new ArrayList<>();
        for (Map<String, String> entry : packageEntries("libmariadb3", arch, agent)) {
            HttpResponse<byte[]> response = send(entry.get("Root") + "/" + entry.get("Filename"), agent);
            if (response.statusCode() == 404) {
                continue; // a version of another suite that the resolution did not pick
            }
            assertEquals(200, response.statusCode(), entry.get("Filename"));
            byte[] deb = response.body();
            assertEquals(entry.get("SHA256"), sha256(deb), entry.get("Filename"));
            assertEquals(Long.parseLong(entry.get("Size")), deb.length);
            assertEquals("!<arch>\ndebian-binary", new String(deb, 0, 21, StandardCharsets.US_ASCII));
            served.add(entry);
        }
        assertEquals(1, served.size(), "one version of libmariadb3:" + arch + " is on the mirror: " + served);
    }

    @Test
    void theAccessLogShowsEveryRequest() throws Exception {
        String agent = agent();
        Map<String, Integer> fetched = new LinkedHashMap<>();
        String inRelease = "debian-security/dists/bookworm-security/InRelease";
        fetched.put(inRelease, get(inRelease, agent).length);
        String packages = "debian-security/dists/bookworm-security/main/binary-arm64/Packages";
        fetched.put(packages, get(packages, agent).length);
        String deb = null;
        for (Map<String, String> entry : packageEntries("libmariadb3", "arm64", agent)) {
            if (send(entry.get("Root") + "/" + entry.get("Filename"), agent).statusCode() == 200) {
                deb = entry.get("Root") + "/" + entry.get("Filename");
            }
        }
        assertNotNull(deb, "libmariadb3:arm64 is on the mirror");
        fetched.put(deb, get(deb, agent).length);
        String missing = "debian/pool/main/n/no-such-package/no-such-package_1.0_amd64.deb";
        assertEquals(404, send(missing, agent).statusCode());

        Path log = services.debianMirrorAccessLog();
        List<String> lines = List.of();
        for (int i = 0; i < 50; i++) { // nginx writes the line once the response is sent
            lines = Files.readAllLines(log).stream().filter(l -> l.endsWith("\"" + agent + "\"")).toList();
            if (lines.stream().anyMatch(l -> l.contains(" /" + missing + " "))) {
                break;
            }
            Thread.sleep(100);
        }
        for (Map.Entry<String, Integer> f : fetched.entrySet()) {
            String want = "\"GET /" + f.getKey() + " HTTP/1.1\" 200 " + f.getValue() + " ";
            assertTrue(lines.stream().anyMatch(l -> l.contains(want)), want + " in " + log + ": " + lines);
        }
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"GET /" + missing + " HTTP/1.1\" 404 ")), lines.toString());
        assertTrue(lines.stream().allMatch(l -> l.startsWith("127.0.0.1 [")), lines.toString());
    }

    @Test
    void thePythonBaseImageIsInTheRegistryForLinuxAmd64WithItsDpkgStatus() throws Exception {
        String image = services.pythonBaseImage();
        String registry = services.get("REGISTRY");
        assertTrue(image.startsWith(registry + "/"), image);
        String name = image.substring(registry.length() + 1);
        String repository = name.substring(0, name.lastIndexOf(':'));
        String tag = name.substring(name.lastIndexOf(':') + 1);
        URI base = URI.create("http://" + registry + "/v2/" + repository + "/");

        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(base.resolve("manifests/" + tag))
                .header("Accept", MANIFEST_TYPES).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode(), image);
        ObjectMapper json = new ObjectMapper();
        JsonNode manifest = json.readTree(response.body());
        assertEquals(services.get("PYTHON_BASE_IMAGE_DIGEST"), "sha256:" + sha256(response.body()));

        JsonNode config = json.readTree(blob(base, manifest.path("config").path("digest").asText()));
        assertEquals("linux", config.path("os").asText(), config.toString());
        assertEquals("amd64", config.path("architecture").asText(), config.toString());
        assertEquals("[\"python3\"]", config.path("config").path("Cmd").toString());
        assertEquals(1, manifest.path("layers").size(), manifest.toString());

        String status = null;
        HttpResponse<InputStream> layer = http.send(HttpRequest.newBuilder(
                base.resolve("blobs/" + manifest.path("layers").get(0).path("digest").asText())).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, layer.statusCode());
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(layer.body()))) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                if (entry.getName().equals("./var/lib/dpkg/status") || entry.getName().equals("var/lib/dpkg/status")) {
                    status = new String(tar.readAllBytes(), StandardCharsets.UTF_8);
                    break;
                }
            }
        }
        assertNotNull(status, "the image has /var/lib/dpkg/status");
        Map<String, String> installed = new LinkedHashMap<>();
        for (String paragraph : status.split("\n\n")) {
            if (paragraph.isBlank()) {
                continue;
            }
            installed.put(field(paragraph, "Package"), field(paragraph, "Status"));
        }
        for (String p : List.of("python3", "python3.11", "libc6", "dpkg", "base-files")) {
            assertEquals("install ok installed", installed.get(p), p);
        }
        for (String p : List.of("libpango-1.0-0", "libcairo2", "libmariadb3", "libharfbuzz0b", "gcc")) {
            assertFalse(installed.containsKey(p), p + " is not in the python3-only image");
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    /** The entries of PACKAGE for ARCH in every suite's served Packages file, each with the archive root it is in. */
    private static List<Map<String, String>> packageEntries(String name, String arch, String agent) throws Exception {
        List<Map<String, String>> entries = new ArrayList<>();
        for (String[] suite : SUITES) {
            String packages = new String(get(suite[0] + "/dists/" + suite[1] + "/main/binary-" + arch + "/Packages", agent),
                    StandardCharsets.UTF_8);
            for (String paragraph : packages.split("\n\n")) {
                if (paragraph.startsWith("Package: " + name + "\n") && arch.equals(field(paragraph, "Architecture"))) {
                    Map<String, String> entry = new LinkedHashMap<>();
                    entry.put("Root", suite[0]);
                    for (String key : List.of("Version", "Filename", "Size", "SHA256")) {
                        entry.put(key, field(paragraph, key));
                    }
                    if (entries.stream().noneMatch(e -> e.get("Root").equals(suite[0])
                            && e.get("Filename").equals(entry.get("Filename")))) {
                        entries.add(entry);
                    }
                }
            }
        }
        assertFalse(entries.isEmpty(), "no " + name + ":" + arch + " in the served Packages files");
        return entries;
    }

    /** The SHA256 and size that a release file lists for PATH. */
    private static String[] releaseEntry(String release, String path) {
        boolean inSha256 = false;
        for (String line : release.split("\n")) {
            if (line.startsWith("SHA256:")) {
                inSha256 = true;
            } else if (!line.startsWith(" ")) {
                inSha256 = false;
            } else if (inSha256) {
                String[] words = line.trim().split("\\s+");
                if (words.length == 3 && words[2].equals(path)) {
                    return new String[] {words[0], words[1]};
                }
            }
        }
        return fail("the release file lists no SHA256 for " + path);
    }

    private static String field(String paragraph, String name) {
        for (String line : paragraph.split("\n")) {
            if (line.startsWith(name + ": ")) {
                return line.substring(name.length() + 2).trim();
            }
        }
        return fail("no " + name + " field in: " + paragraph.substring(0, Math.min(300, paragraph.length())));
    }

    private static String agent() {
        return "DebianMirrorIT/" + UUID.randomUUID();
    }

    private static HttpResponse<byte[]> send(String path, String agent) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(services.debianMirrorUrl().resolve("/" + path)).header("User-Agent", agent)
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static byte[] get(String path, String agent) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = send(path, agent);
        assertEquals(200, response.statusCode(), services.debianMirrorUrl() + "/" + path);
        return response.body();
    }

    private static byte[] blob(URI base, String digest) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(base.resolve("blobs/" + digest))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode(), digest);
        assertEquals(digest, "sha256:" + sha256(response.body()));
        return response.body();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
