package com.pyerp.deployaction.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pyerp.deployaction.Main;
import com.pyerp.deployaction.debian.ReleaseFile;
import com.pyerp.deployaction.debian.TestArchiveKey;
import com.pyerp.deployaction.testing.Processes;
import com.pyerp.deployaction.testing.RunnerEnv;
import com.pyerp.deployaction.testing.TestServices;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.bouncycastle.bcpg.ArmoredInputStream;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rejections of issue 15, each through the action's entry point: one {@code ::error} that names the file (or the
 * packages) and what did not match, no stack trace, and nothing pushed. Tampering happens on copies of the loopback
 * mirror's files in a new archive below its root ({@code tampered-<random>/debian}), never on the mirror's own files.
 * (An expired Valid-Until needs a clock seam that Main does not have; SuiteIndexesTest covers it.)
 */
class SystemPackagesRejectionIT {

    private static final String UNTRUSTED = "::error title=System packages%3A archive not trusted::";
    private static final String UNINSTALLABLE = "::error title=System packages%3A cannot be installed::";
    private static final String PACKAGES = "main/binary-amd64/Packages";
    /** A small Architecture: all package of bookworm main whose .deb the mirror has, and whose dependency the base has. */
    private static final String SMALL = "python3-appdirs";

    @TempDir
    Path workspace;

    private TestServices services;
    private String repository;
    private String mirror;
    private Path mirrorRoot;
    private final List<Path> tampered = new ArrayList<>();
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    @BeforeEach
    void app() throws IOException {
        services = TestServices.require("REGISTRY", "DEBIAN_MIRROR");
        repository = "it/system-rejected-" + UUID.randomUUID().toString().substring(0, 8);
        mirror = services.debianMirrorUrl().toString().replaceAll("/$", "");
        mirrorRoot = Path.of(services.get("DEBIAN_MIRROR_ROOT"));
        Files.writeString(Files.createDirectories(workspace.resolve("src")).resolve("app.py"), "print('app')\n");
    }

    @AfterEach
    void removeTamperedArchives() throws IOException {
        for (Path root : tampered) {
            try (Stream<Path> walk = Files.walk(root)) {
                for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path); // unlinks a hard link; the mirror's own file stays
                }
            }
        }
    }

    private Map<String, String> runner(String... inputs) throws IOException {
        Map<String, String> env = RunnerEnv.buildToTestRegistry(workspace, services, repository,
                "[\"python3\", \"/app/app.py\"]");
        return RunnerEnv.with(RunnerEnv.with(env,
                "HOME", Files.createDirectories(workspace.resolve("home")).toString(),
                "GITHUB_STEP_SUMMARY", workspace.resolve("summary.md").toString(),
                "INPUT_BASE-IMAGE", services.pythonBaseImage(),
                "INPUT_SYSTEM-PACKAGES", "libmariadb3",
                "INPUT_SYSTEM-PACKAGES-SOURCES", String.join("\n",
                        "deb " + mirror + "/debian bookworm main",
                        "deb " + mirror + "/debian bookworm-updates main",
                        "deb " + mirror + "/debian-security bookworm-security main")), inputs);
    }

    private void run(Map<String, String> env, int expectedExit) {
        log.reset();
        PrintStream print = new PrintStream(log, true, StandardCharsets.UTF_8);
        int exit = Main.run(new String[0], env, print, print, workspace);
        assertEquals(expectedExit, exit, text());
    }

    /** Runs the build, expects it to fail, and returns its one error line after checking that nothing was pushed. */
    private String rejected(Map<String, String> env) throws Exception {
        run(env, 1);
        List<String> errors = text().lines().filter(line -> line.startsWith("::error")).toList();
        assertEquals(1, errors.size(), text());
        assertFalse(text().contains("Exception"), text());
        assertFalse(text().lines().anyMatch(line -> line.trim().startsWith("at ")), "no stack trace: " + text());
        assertEquals("404", Processes.run("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "http://"
                + services.get("REGISTRY") + "/v2/" + repository + "/tags/list").output(),
                "the repository has no tag: nothing was pushed");
        System.out.println("[" + getClass().getSimpleName() + "] " + errors.get(0));
        return errors.get(0);
    }

    @Test
    void aChangedByteInInReleaseIsABadSignature() throws Exception {
        Path archive = tamperedArchive();
        Path inRelease = archive.resolve("dists/bookworm/InRelease");
        String text = Files.readString(original("dists/bookworm/InRelease"));
        // The SHA256 that InRelease lists for main's amd64 Packages, its first digit changed: the attack a
        // signature is there to stop.
        Matcher listed = Pattern.compile("(?m)^ ([0-9a-f]{64}) +\\d+ " + Pattern.quote(PACKAGES) + "$").matcher(text);
        assertTrue(listed.find(), "InRelease lists " + PACKAGES);
        char first = text.charAt(listed.start(1));
        String changed = text.substring(0, listed.start(1)) + (first == '0' ? '1' : '0') + text.substring(listed.start(1) + 1);
        Files.createDirectories(inRelease.getParent());
        Files.writeString(inRelease, changed);

        String error = rejected(runner("INPUT_SYSTEM-PACKAGES-SOURCES", "deb " + url(archive) + " bookworm main"));
        assertTrue(Pattern.matches(Pattern.quote(UNTRUSTED + url(archive) + "/dists/bookworm/InRelease: the signature by"
                + " key ") + "[0-9A-F]{16}" + Pattern.quote(" does not match the signed text (the file was changed after"
                + " it was signed). Check that system-packages-keyring holds the archive's signing keys (the default"
                + " holds Debian's only), and that the mirror is not serving changed files."), error), error);
    }

    @Test
    void anInReleaseSignedByAKeyNotInTheKeyringIsRefused() throws Exception {
        TestArchiveKey other = TestArchiveKey.generate();
        Files.write(Files.createDirectories(workspace.resolve("keys")).resolve("other.gpg"), other.keyring());
        List<String> debianKeys = signingKeys(Files.readAllBytes(original("dists/bookworm/InRelease")));
        assertFalse(debianKeys.isEmpty());

        String error = rejected(runner("INPUT_SYSTEM-PACKAGES-KEYRING", "keys/other.gpg",
                "INPUT_SYSTEM-PACKAGES-SOURCES", "deb " + mirror + "/debian bookworm main"));
        assertEquals(UNTRUSTED + mirror + "/debian/dists/bookworm/InRelease: it is signed only by keys that are not in the"
                + " keyring (" + String.join(", ", debianKeys) + "). Check that system-packages-keyring holds the"
                + " archive's signing keys (the default holds Debian's only), and that the mirror is not serving changed"
                + " files.", error);
        assertFalse(error.contains(String.format("%016X", other.keyId())), error);
    }

    @Test
    void aPackagesIndexThatDoesNotMatchItsHashIsRefused() throws Exception {
        Path archive = tamperedArchive();
        link("dists/bookworm/InRelease", archive);
        // The mirror serves main's index uncompressed only (the .xz and .gz it lists answer 404), so that is the
        // one to change: one byte of the first Description, the same size.
        byte[] index = Files.readAllBytes(original("dists/bookworm/" + PACKAGES));
        int at = indexOf(index, "\nDescription: ".getBytes(StandardCharsets.US_ASCII)) + "\nDescription: ".length();
        index[at] = (byte) (index[at] == 'X' ? 'Y' : 'X');
        Path copy = archive.resolve("dists/bookworm/" + PACKAGES);
        Files.createDirectories(copy.getParent());
        Files.write(copy, index);
        ReleaseFile.IndexFile listed = release(archive).sha256().get(PACKAGES);
        assertEquals(index.length, listed.size());

        String error = rejected(runner("INPUT_SYSTEM-PACKAGES", SMALL,
                "INPUT_SYSTEM-PACKAGES-SOURCES", "deb " + url(archive) + " bookworm main"));
        assertEquals(UNTRUSTED + url(archive) + "/dists/bookworm/" + PACKAGES + ": " + index.length + " bytes with SHA256 "
                + sha256(index) + ", but the Release file lists " + listed.size() + " bytes with SHA256 "
                + listed.sha256() + ". The mirror serves a file that was changed or is mid-update; retry, or use another"
                + " mirror.", error);
    }

    @Test
    void aDebThatDoesNotMatchItsHashIsRefused() throws Exception {
        Path archive = tamperedArchive();
        link("dists/bookworm/InRelease", archive);
        link("dists/bookworm/" + PACKAGES, archive);
        String index = Files.readString(original("dists/bookworm/" + PACKAGES));
        String filename = field(index, SMALL, "Filename");
        String listedSha = field(index, SMALL, "SHA256");
        byte[] deb = Files.readAllBytes(original(filename));
        assertEquals(listedSha, sha256(deb), "the mirror's own .deb is intact");
        deb[deb.length - 1] ^= 1; // a copy, never the mirror's file (nor a link to it)
        Path copy = archive.resolve(filename);
        Files.createDirectories(copy.getParent());
        Files.write(copy, deb);

        String error = rejected(runner("INPUT_SYSTEM-PACKAGES", SMALL,
                "INPUT_SYSTEM-PACKAGES-SOURCES", "deb " + url(archive) + " bookworm main"));
        assertEquals(UNTRUSTED + url(archive) + "/" + filename + ": " + deb.length + " bytes with SHA256 " + sha256(deb)
                + ", but its index lists " + deb.length + " bytes with SHA256 " + listedSha + ". The package was changed"
                + " on the mirror; nothing was built.", error);
        try (Stream<Path> cached = Files.walk(workspace.resolve("home"))) {
            assertFalse(cached.anyMatch(path -> path.toString().endsWith(".deb")), "the changed .deb was not cached");
        }
    }

    @Test
    void aVersionThatNoSuiteHasIsRefusedWithTheVersionsThereAre() throws Exception {
        String error = rejected(runner("INPUT_SYSTEM-PACKAGES", "libmariadb3=0.0-1"));
        assertEquals(UNINSTALLABLE + "libmariadb3=0.0-1: the configured suites have libmariadb3 only in version"
                + " 1:10.11.19-0+deb12u1, 1:10.11.18-0+deb12u1 for amd64. Ask for one of them, or for the name alone.",
                error);
    }

    @Test
    void anUnsatisfiableSetShowsTheChainOfDependencies() throws Exception {
        // libmariadb-dev (the security suite's, the newest) needs exactly its own libmariadb3; the request pins the
        // older one of bookworm.
        String error = rejected(runner("INPUT_SYSTEM-PACKAGES", "libmariadb3=1:10.11.18-0+deb12u1 libmariadb-dev"));
        assertEquals(UNINSTALLABLE + "libmariadb-dev -> libmariadb3 (= 1:10.11.19-0+deb12u1), but"
                + " libmariadb3=1:10.11.18-0+deb12u1 chose libmariadb3:amd64=1:10.11.18-0+deb12u1; pin the requested"
                + " packages to versions that agree (name=version).", error);
    }

    @Test
    void aDependencyNoConfiguredSuiteHasShowsTheChain() throws Exception {
        // Only the security suite: libmariadb-dev and its libmariadb3 and mariadb-common are there, but mysql-common
        // is only in bookworm itself.
        String error = rejected(runner("INPUT_SYSTEM-PACKAGES", "libmariadb-dev",
                "INPUT_SYSTEM-PACKAGES-SOURCES", "deb " + mirror + "/debian-security bookworm-security main"));
        assertEquals(UNINSTALLABLE + "libmariadb-dev -> libmariadb3 (= 1:10.11.19-0+deb12u1) -> mariadb-common ->"
                + " mysql-common (>= 5.6.25): no configured suite has a package that satisfies mysql-common (>= 5.6.25)."
                + " Check system-packages-sources, or pin a version that exists.", error);
    }

    @Test
    void aConflictWithAPackageInTheBaseIsRefused() throws Exception {
        // libelogind0 Conflicts: libsystemd0, which the python base has (apt would remove it; the action adds only).
        String baseSystemd = MirrorFixture.installed(new MirrorFixture().baseStatus()).stream()
                .filter(installed -> installed.name().equals("libsystemd0")).findFirst().orElseThrow().describe();
        String error = rejected(runner("INPUT_SYSTEM-PACKAGES", "libelogind0"));
        assertEquals(UNINSTALLABLE + "libelogind0:amd64=246.10-1debian1 (libelogind0) conflicts with libsystemd0, which "
                + baseSystemd + " in the base image satisfies. Leave out what needs libelogind0, or use a base image"
                + " without libsystemd0.", error);
    }

    // --- the tampered archive ---

    /** A new, empty archive below the mirror's root: {@code <root>/tampered-<random>/debian}. */
    private Path tamperedArchive() throws IOException {
        Path root = mirrorRoot.resolve("tampered-" + UUID.randomUUID().toString().substring(0, 8));
        tampered.add(root);
        return Files.createDirectories(root.resolve("debian")); // not createTempDirectory: nginx must read it
    }

    private String url(Path archive) {
        return mirror + "/" + mirrorRoot.relativize(archive).toString().replace('\\', '/');
    }

    private Path original(String path) {
        return mirrorRoot.resolve("debian").resolve(path);
    }

    /** The mirror's file, unchanged, in the tampered archive: a hard link, never written through. */
    private void link(String path, Path archive) throws IOException {
        Path target = archive.resolve(path);
        Files.createDirectories(target.getParent());
        Files.createLink(target, original(path));
    }

    private ReleaseFile release(Path archive) throws IOException {
        String signed = Files.readString(archive.resolve("dists/bookworm/InRelease"));
        int start = signed.indexOf("\n\n") + 2;
        return ReleaseFile.parse(signed.substring(start, signed.indexOf("\n-----BEGIN PGP SIGNATURE-----")));
    }

    /** The key IDs of InRelease's signatures, in its order, as the keyring's error prints them. */
    private static List<String> signingKeys(byte[] inRelease) throws IOException {
        try (ArmoredInputStream armored = ArmoredInputStream.builder().build(new ByteArrayInputStream(inRelease))) {
            while (armored.isClearText() && armored.read() >= 0) {
                // the signed text
            }
            Object signatures = new BcPGPObjectFactory(armored).nextObject();
            List<String> keys = new ArrayList<>();
            ((PGPSignatureList) signatures).forEach(signature -> keys.add(String.format("%016X", signature.getKeyID())));
            return keys;
        }
    }

    private static String field(String index, String packageName, String field) {
        int at = index.indexOf("\nPackage: " + packageName + "\n");
        assertNotEquals(-1, at, packageName + " is in the index");
        String paragraph = index.substring(at + 1, index.indexOf("\n\n", at + 1));
        Matcher value = Pattern.compile("(?m)^" + field + ": (.+)$").matcher(paragraph);
        assertTrue(value.find(), packageName + " has a " + field);
        return value.group(1);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private String text() {
        return log.toString(StandardCharsets.UTF_8);
    }
}
