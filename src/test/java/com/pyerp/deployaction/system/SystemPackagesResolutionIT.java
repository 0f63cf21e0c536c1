package com.pyerp.deployaction.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pyerp.deployaction.debian.AptSource;
import com.pyerp.deployaction.debian.ArchiveKeyring;
import com.pyerp.deployaction.debian.BinaryPackage;
import com.pyerp.deployaction.debian.Resolver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's real, signed suites from the loopback mirror: verified against Debian's keyring, and resolved for the
 * python3-only base exactly as apt itself resolves them ({@code apt-get -s install --no-install-recommends}).
 */
class SystemPackagesResolutionIT {

    private static final List<String> RUNTIME = MirrorFixture.RUNTIME;
    private static final Pattern INST = Pattern.compile("^Inst (\\S+) (?:\\[\\S+\\] )?\\((\\S+) .*\\[(\\S+)\\]\\)", Pattern.MULTILINE);

    private static MirrorFixture mirror;

    @TempDir
    Path temporary;

    @BeforeAll
    static void mirror() throws Exception {
        mirror = new MirrorFixture();
    }

    @Test
    void theRuntimeSetForThePythonBaseIsWhatAptWouldInstall() throws Exception {
        List<BinaryPackage> candidates = mirror.candidates("amd64");
        assertTrue(candidates.size() > 60_000, "bookworm main alone has some 63,000 packages: " + candidates.size());
        String status = mirror.baseStatus();
        Resolver.Resolution ours = Resolver.resolve(RUNTIME.stream().map(Resolver.Request::parse).toList(), "amd64",
                candidates, MirrorFixture.installed(status));
        Path statusFile = Files.writeString(temporary.resolve("status"), status);
        assertSame(apt("amd64", statusFile, RUNTIME), names(ours));
        assertTrue(ours.added().size() > 40, "WeasyPrint brings Python and C libraries: " + ours.added().size());
    }

    @Test
    void theBuildEnvironmentSetIsWhatAptWouldInstall() throws Exception {
        List<String> dev = MirrorFixture.DEVELOPMENT;
        List<BinaryPackage> candidates = mirror.candidates("amd64");
        String status = mirror.baseStatus();
        Resolver.Resolution ours = Resolver.resolve(dev.stream().map(Resolver.Request::parse).toList(), "amd64",
                candidates, MirrorFixture.installed(status));
        assertSame(apt("amd64", Files.writeString(temporary.resolve("status"), status), dev), names(ours));
    }

    @Test
    void theKeyringShippedInTheJarTrustsDebiansSuites() {
        SuiteIndexes indexes = new SuiteIndexes(ArchiveKeyring.debian(), new HttpArchive(), Instant.now());
        for (AptSource source : mirror.sources) {
            assertEquals(source.suite(), indexes.release(source).release().codename());
        }
    }

    @Test
    void eachPlatformResolvesForItsOwnArchitecture() throws Exception {
        List<BinaryPackage> candidates = mirror.candidates("arm64");
        Resolver.Resolution ours = Resolver.resolve(List.of(Resolver.Request.parse("libmariadb3")), "arm64", candidates,
                List.of());
        Path empty = Files.writeString(temporary.resolve("empty-status"), "");
        assertSame(apt("arm64", empty, List.of("libmariadb3")), names(ours));
        assertTrue(ours.added().stream().allMatch(added -> List.of("arm64", "all").contains(added.architecture())),
                ours.added().toString());
    }

    /** The two sets are equal; else the message lists what only one of them has. */
    private static void assertSame(TreeSet<String> apt, TreeSet<String> ours) {
        TreeSet<String> onlyApt = new TreeSet<>(apt);
        onlyApt.removeAll(ours);
        TreeSet<String> onlyOurs = new TreeSet<>(ours);
        onlyOurs.removeAll(apt);
        assertEquals("", onlyApt.isEmpty() && onlyOurs.isEmpty() ? "" : "only apt installs " + onlyApt
                + ", only we install " + onlyOurs);
    }

    private static TreeSet<String> names(Resolver.Resolution resolution) {
        TreeSet<String> names = new TreeSet<>();
        resolution.added().forEach(added -> names.add(added.name() + ":" + added.architecture() + "=" + added.version()));
        return names;
    }

    /** What apt installs on a system with that dpkg status, as name:arch=version. */
    private TreeSet<String> apt(String architecture, Path status, List<String> packages) throws Exception {
        List<String> command = new ArrayList<>(List.of("apt-get", "-s", "-q", "-o", "Debug::NoLocking=1",
                "-o", "Dir::State::status=" + status, "-o", "APT::Architecture=" + architecture,
                "-o", "APT::Architectures::=" + architecture, "install", "--no-install-recommends"));
        command.addAll(packages);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("APT_CONFIG", mirror.services.debianMirrorAptConfig().toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS) && process.exitValue() == 0, output);
        TreeSet<String> installed = new TreeSet<>();
        Matcher matcher = INST.matcher(output);
        while (matcher.find()) {
            installed.add(matcher.group(1) + ":" + matcher.group(3) + "=" + matcher.group(2));
        }
        assertTrue(!installed.isEmpty(), output);
        return installed;
    }
}
