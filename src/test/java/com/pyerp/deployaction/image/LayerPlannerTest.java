package com.pyerp.deployaction.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntry;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.config.BuildSpec.CopySpec;
import com.pyerp.deployaction.config.BuildSpec.FileProperties;
import com.pyerp.deployaction.config.BuildSpec.LayerSpec;
import com.pyerp.deployaction.config.BuildSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerPlannerTest {

    private static final Instant EPOCH_PLUS_ONE = Instant.ofEpochSecond(1);

    @TempDir
    Path tempDir;

    /** The temporary directory with links resolved, so walked paths and link targets compare equal. */
    private Path root;

    @BeforeEach
    void resolveRoot() throws IOException {
        root = tempDir.toRealPath();
    }

    // Defaults

    @Test
    void theSecureDefaultsAreRootOwnedFixedTimeAndModesByKind() throws IOException {
        Path app = directory(root.resolve("app"), "rwx------");
        Path readme = file(app.resolve("README.txt"), "rw-------");
        Path script = file(app.resolve("run.sh"), "rwx------");
        Path sub = directory(app.resolve("sub"), "rwx------");
        Path module = file(sub.resolve("mod.py"), "rw-rw-rw-");

        LayerPlanner.Planned planned = planOne("application", copy(app, "/app"));

        assertEquals("application", planned.layer().getName());
        assertEntries(List.of(
                        entry(app, "/app", "755"),
                        entry(readme, "/app/README.txt", "644"),
                        entry(script, "/app/run.sh", "755"),
                        entry(sub, "/app/sub", "755"),
                        entry(module, "/app/sub/mod.py", "644")),
                planned.layer().getEntries());
        assertEquals(List.of(), planned.skippedLinks());
        for (FileEntry entry : planned.layer().getEntries()) {
            assertEquals("0:0", entry.getOwnership(), entry.getExtractionPath().toString());
            assertEquals(EPOCH_PLUS_ONE, entry.getModificationTime(), entry.getExtractionPath().toString());
        }
    }

    @Test
    void theDefaultTimestampIsJibsEpochPlusOneSecond() {
        assertEquals(EPOCH_PLUS_ONE, LayerPlanner.DEFAULT_TIMESTAMP);
    }

    @Test
    void anEmptyDirectoryBecomesOnlyItsDestinationDirectory() throws IOException {
        Path empty = Files.createDirectory(root.resolve("empty"));

        assertEntries(List.of(entry(empty, "/data", "755")), entries(planOne("data", copy(empty, "/data"))));
    }

    // Explicit properties

    @Test
    void copyPropertiesOwnTheDestinationDirectoryItselfAndEverythingInIt() throws IOException {
        Path media = Files.createDirectory(root.resolve("media"));
        Path gitkeep = file(media.resolve(".gitkeep"), "rw-r--r--");
        Path uploads = Files.createDirectory(media.resolve("uploads"));
        Instant timestamp = Instant.parse("2024-01-31T12:00:00Z");
        FileProperties appUser = new FileProperties(null, "750", "10001", "10001", timestamp);

        LayerPlanner.Planned planned = planOne("media", new CopySpec(media, "/app/media", List.of(), List.of(), appUser));

        assertEntries(List.of(
                        new FileEntry(media, path("/app/media"), mode("750"), timestamp, "10001:10001"),
                        new FileEntry(gitkeep, path("/app/media/.gitkeep"), mode("644"), timestamp, "10001:10001"),
                        new FileEntry(uploads, path("/app/media/uploads"), mode("750"), timestamp, "10001:10001")),
                planned.layer().getEntries());
    }

    @Test
    void unsetPropertiesFallBackFieldByField() throws IOException {
        Path dir = Files.createDirectory(root.resolve("bin"));
        Path tool = file(dir.resolve("tool"), "rwxr-xr-x");
        Path data = file(dir.resolve("data"), "rw-r--r--");
        FileProperties onlySome = new FileProperties("600", null, "10001", null, null);

        LayerPlanner.Planned planned = planOne("bin", new CopySpec(dir, "/opt/bin", List.of(), List.of(), onlySome));

        // filePermissions wins over the executable bit; the group stays root; the directory mode stays 755.
        assertEntries(List.of(
                        new FileEntry(dir, path("/opt/bin"), mode("755"), EPOCH_PLUS_ONE, "10001:0"),
                        new FileEntry(data, path("/opt/bin/data"), mode("600"), EPOCH_PLUS_ONE, "10001:0"),
                        new FileEntry(tool, path("/opt/bin/tool"), mode("600"), EPOCH_PLUS_ONE, "10001:0")),
                planned.layer().getEntries());
    }

    // Includes and excludes (globs relative to the source)

    @Test
    void excludesLeaveOutMatchingFilesAndExcludedDirectoriesWithTheirContent() throws IOException {
        Path src = Files.createDirectory(root.resolve("src"));
        Path main = file(src.resolve("main.py"), "rw-r--r--");
        file(src.resolve("main.pyc"), "rw-r--r--");
        Files.createDirectories(src.resolve("cache/deep"));
        file(src.resolve("cache/deep/blob"), "rw-r--r--");
        file(src.resolve("cache/top"), "rw-r--r--");
        Path pkg = Files.createDirectory(src.resolve("pkg"));
        Path module = file(pkg.resolve("mod.py"), "rw-r--r--");
        file(pkg.resolve("mod.pyc"), "rw-r--r--");
        Files.createDirectory(pkg.resolve("__pycache__"));
        file(pkg.resolve("__pycache__/mod.cpython-311.pyc"), "rw-r--r--");

        LayerPlanner.Planned planned = planOne("src", new CopySpec(src, "/app", List.of(),
                List.of("*.pyc", "**/*.pyc", "cache", "**/__pycache__"), FileProperties.NONE));

        assertEntries(List.of(
                        entry(src, "/app", "755"),
                        entry(main, "/app/main.py", "644"),
                        entry(pkg, "/app/pkg", "755"),
                        entry(module, "/app/pkg/mod.py", "644")),
                planned.layer().getEntries());
    }

    @Test
    void includesKeepOnlyMatchingFiles() throws IOException {
        Path src = Files.createDirectory(root.resolve("src"));
        Path main = file(src.resolve("main.py"), "rw-r--r--");
        file(src.resolve("notes.md"), "rw-r--r--");
        Path pkg = Files.createDirectory(src.resolve("pkg"));
        Path module = file(pkg.resolve("mod.py"), "rw-r--r--");
        file(pkg.resolve("data.json"), "rw-r--r--");

        LayerPlanner.Planned planned = planOne("src", new CopySpec(src, "/app", List.of("*.py", "**/*.py"),
                List.of(), FileProperties.NONE));

        assertEntries(List.of(
                        entry(src, "/app", "755"),
                        entry(main, "/app/main.py", "644"),
                        entry(pkg, "/app/pkg", "755"),
                        entry(module, "/app/pkg/mod.py", "644")),
                planned.layer().getEntries());
    }

    @Test
    void excludesWinOverIncludes() throws IOException {
        Path src = Files.createDirectory(root.resolve("src"));
        Path keep = file(src.resolve("keep.py"), "rw-r--r--");
        file(src.resolve("secret.py"), "rw-r--r--");

        LayerPlanner.Planned planned = planOne("src", new CopySpec(src, "/app", List.of("*.py"),
                List.of("secret.py"), FileProperties.NONE));

        assertEntries(List.of(entry(src, "/app", "755"), entry(keep, "/app/keep.py", "644")),
                planned.layer().getEntries());
    }

    /**
     * The example's application layer (examples/pyerp/jib.yaml) writes its excludes as {@code **}{@code /name} and
     * {@code **}{@code /name/**} ("globs matched against the whole path", as in jib-cli). Entries at the top of the
     * copied directory must be left out too: otherwise .env files, tests and deployment files land in /app/src.
     */
    @Test
    void wholePathGlobsFromTheExampleAlsoExcludeTopLevelEntries() throws IOException {
        Path app = Files.createDirectory(root.resolve("pyerp"));
        file(app.resolve(".env"), "rw-------");
        file(app.resolve(".env.example"), "rw-r--r--");
        file(app.resolve("README.md"), "rw-r--r--");
        Path manage = file(app.resolve("manage.py"), "rwxr-xr-x");
        Files.createDirectories(app.resolve("tests"));
        file(app.resolve("tests/test_health.py"), "rw-r--r--");
        Files.createDirectories(app.resolve("media"));
        file(app.resolve("media/.gitkeep"), "rw-r--r--");
        Path core = Files.createDirectory(app.resolve("core"));
        Path views = file(core.resolve("views.py"), "rw-r--r--");
        Files.createDirectory(core.resolve("tests"));
        file(core.resolve("tests/test_views.py"), "rw-r--r--");

        LayerPlanner.Planned planned = planOne("application", new CopySpec(app, "/app/src", List.of(),
                List.of("**/.env", "**/.env.*", "**/tests", "**/tests/**", "**/media", "**/media/**", "**/README.md"),
                FileProperties.NONE));

        assertEntries(List.of(
                        entry(app, "/app/src", "755"),
                        entry(core, "/app/src/core", "755"),
                        entry(views, "/app/src/core/views.py", "644"),
                        entry(manage, "/app/src/manage.py", "755")),
                planned.layer().getEntries());
    }

    /** The example's media copy: {@code excludes: ["**}{@code /media/**"]} keeps only the mount point itself. */
    @Test
    void theExampleMediaCopyKeepsOnlyTheOwnedMountPoint() throws IOException {
        Path media = Files.createDirectories(root.resolve("pyerp/media"));
        file(media.resolve(".gitkeep"), "rw-r--r--");
        Files.createDirectory(media.resolve("uploads"));
        file(media.resolve("uploads/local.jpg"), "rw-r--r--");

        LayerPlanner.Planned planned = planOne("application", new CopySpec(media, "/app/media", List.of(),
                List.of("**/media/**"), new FileProperties("644", "750", "10001", "10001", null)));

        assertEntries(List.of(new FileEntry(media, path("/app/media"), mode("750"), EPOCH_PLUS_ONE, "10001:10001")),
                planned.layer().getEntries());
    }

    // Single files, several copies and layers

    @Test
    void aSingleFileSourceIsCopiedToTheDestinationItself() throws IOException {
        Path config = file(root.resolve("gunicorn.conf.py"), "rw-------");
        Path entrypoint = file(root.resolve("entrypoint.sh"), "rwx------");

        LayerPlanner.Planned planned = planOne("config",
                copy(config, "/etc/gunicorn/gunicorn.conf.py"), copy(entrypoint, "/usr/local/bin/entrypoint"));

        assertEntries(List.of(
                        entry(config, "/etc/gunicorn/gunicorn.conf.py", "644"),
                        entry(entrypoint, "/usr/local/bin/entrypoint", "755")),
                planned.layer().getEntries());
    }

    @Test
    void oneLayerPerSpecInOrder() throws IOException {
        Path deps = Files.createDirectory(root.resolve("deps"));
        Path lib = file(deps.resolve("lib.py"), "rw-r--r--");
        Path app = file(root.resolve("app.py"), "rw-r--r--");

        List<LayerPlanner.Planned> planned = LayerPlanner.plan(List.of(
                new LayerSpec("dependencies", List.of(copy(deps, "/app/deps"))),
                new LayerSpec("application", List.of(copy(app, "/app/src/app.py")))));

        assertEquals(List.of("dependencies", "application"),
                planned.stream().map(LayerPlanner.Planned::name).toList());
        assertEntries(List.of(entry(deps, "/app/deps", "755"), entry(lib, "/app/deps/lib.py", "644")),
                planned.get(0).layer().getEntries());
        assertEntries(List.of(entry(app, "/app/src/app.py", "644")), planned.get(1).layer().getEntries());
    }

    @Test
    void aMissingSourceNamesTheLayerAndThePath() {
        Path missing = root.resolve("build/deps");

        ActionException e = assertThrows(ActionException.class,
                () -> planOne("dependencies", copy(missing, "/app/deps")));

        assertEquals("Layer source missing", e.title());
        assertTrue(e.getMessage().contains("'dependencies'"), e.getMessage());
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    // Symbolic links

    @Test
    void aLinkToAFileInsideTheTreeIsCopiedAsThatFileAtTheLinksPath() throws IOException {
        Path app = Files.createDirectory(root.resolve("app"));
        Path real = file(app.resolve("real.txt"), "rw-r--r--");
        Path script = file(app.resolve("run.sh"), "rwxr-xr-x");
        Path bin = Files.createDirectory(app.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("run"), Path.of("../run.sh"));
        Files.createSymbolicLink(app.resolve("alias.txt"), Path.of("real.txt"));
        Files.createSymbolicLink(app.resolve("absolute.txt"), real);

        LayerPlanner.Planned planned = planOne("app", copy(app, "/app"));

        assertEntries(List.of(
                        entry(app, "/app", "755"),
                        entry(real, "/app/absolute.txt", "644"),
                        entry(real, "/app/alias.txt", "644"),
                        entry(bin, "/app/bin", "755"),
                        entry(script, "/app/bin/run", "755"),
                        entry(real, "/app/real.txt", "644"),
                        entry(script, "/app/run.sh", "755")),
                planned.layer().getEntries());
        assertEquals(List.of(), planned.skippedLinks());
    }

    @Test
    void linksToDirectoriesOutsideTheTreeAndDanglingLinksAreLeftOutAndReported() throws IOException {
        Path venv = Files.createDirectory(root.resolve("venv"));
        Path cfg = file(venv.resolve("pyvenv.cfg"), "rw-r--r--");
        Path bin = Files.createDirectory(venv.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("python"), Path.of("/usr/bin/python3"));
        Files.createSymbolicLink(venv.resolve("lib64"), Path.of("lib"));
        Path lib = Files.createDirectory(venv.resolve("lib"));
        Path site = file(lib.resolve("site.py"), "rw-r--r--");
        file(root.resolve("outside.txt"), "rw-r--r--");
        Files.createDirectory(root.resolve("outside"));
        Files.createSymbolicLink(venv.resolve("up.txt"), Path.of("../outside.txt"));
        Files.createSymbolicLink(venv.resolve("updir"), Path.of("../outside"));
        Files.createSymbolicLink(venv.resolve("dangling"), Path.of("missing.txt"));

        LayerPlanner.Planned planned = planOne("venv", copy(venv, "/opt/venv"));

        assertEntries(List.of(
                        entry(venv, "/opt/venv", "755"),
                        entry(bin, "/opt/venv/bin", "755"),
                        entry(lib, "/opt/venv/lib", "755"),
                        entry(site, "/opt/venv/lib/site.py", "644"),
                        entry(cfg, "/opt/venv/pyvenv.cfg", "644")),
                planned.layer().getEntries());
        assertEquals(List.of(
                        "bin/python -> /usr/bin/python3",
                        "dangling -> missing.txt",
                        "lib64 -> lib",
                        "up.txt -> ../outside.txt",
                        "updir -> ../outside"),
                planned.skippedLinks());
    }

    /**
     * A source that is itself a link to a directory (build/deps → a shared cache) is a directory for the planner
     * (it gets a directory entry), so its content must be copied too, not silently left out.
     */
    @Test
    void aSourceThatIsALinkToADirectoryIsCopiedWithItsContent() throws IOException {
        Path cache = Files.createDirectories(root.resolve("cache/site-packages"));
        Path lib = file(cache.resolve("lib.py"), "rw-r--r--");
        Path deps = Files.createSymbolicLink(Files.createDirectory(root.resolve("build")).resolve("deps"), cache);

        LayerPlanner.Planned planned = planOne("dependencies", copy(deps, "/app/deps"));

        assertEquals(List.of("/app/deps", "/app/deps/lib.py"),
                planned.layer().getEntries().stream().map(e -> e.getExtractionPath().toString()).toList());
        FileEntry copied = planned.layer().getEntries().get(1);
        assertEquals(lib, copied.getSourceFile().toRealPath());
        assertEquals(mode("644"), copied.getPermissions());
        assertEquals("0:0", copied.getOwnership());
        assertEquals(List.of(), planned.skippedLinks());
    }

    @Test
    void skippedLinksAreReportedPerLayer() throws IOException {
        Path first = Files.createDirectory(root.resolve("first"));
        Files.createSymbolicLink(first.resolve("python"), Path.of("/usr/bin/python3"));
        Path second = Files.createDirectory(root.resolve("second"));
        Path file = file(second.resolve("file"), "rw-r--r--");

        List<LayerPlanner.Planned> planned = LayerPlanner.plan(List.of(
                new LayerSpec("first", List.of(copy(first, "/first"))),
                new LayerSpec("second", List.of(copy(second, "/second")))));

        assertEquals(List.of("python -> /usr/bin/python3"), planned.get(0).skippedLinks());
        assertEntries(List.of(entry(first, "/first", "755")), planned.get(0).layer().getEntries());
        assertEquals(List.of(), planned.get(1).skippedLinks());
        assertEntries(List.of(entry(second, "/second", "755"), entry(file, "/second/file", "644")),
                planned.get(1).layer().getEntries());
    }

    // Fingerprint

    @Test
    void theFingerprintChangesWithEverythingThatDecidesTheLayerAndNothingElse() throws IOException {
        Path app = directory(root.resolve("app"), "rwxr-xr-x");
        Path module = file(app.resolve("mod.py"), "rw-r--r--");
        file(directory(app.resolve("pkg"), "rwxr-xr-x").resolve("__init__.py"), "rw-r--r--");
        String first = planOne("app", copy(app, "/app")).fingerprint();

        assertEquals(first, planOne("app", copy(app, "/app")).fingerprint(), "nothing changed");
        Files.setPosixFilePermissions(module, PosixFilePermissions.fromString("rw-r-----"));
        assertEquals(first, planOne("app", copy(app, "/app")).fingerprint(), "a mode bit the image does not keep");

        List<String> changed = new ArrayList<>();
        Files.setPosixFilePermissions(module, PosixFilePermissions.fromString("rwxr--r--"));
        changed.add(planOne("app", copy(app, "/app")).fingerprint());
        Files.writeString(module, "longer content");
        changed.add(planOne("app", copy(app, "/app")).fingerprint());
        Files.setLastModifiedTime(module, FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
        changed.add(planOne("app", copy(app, "/app")).fingerprint());
        Files.move(module, app.resolve("renamed.py"));
        changed.add(planOne("app", copy(app, "/app")).fingerprint());
        changed.add(planOne("app", copy(app, "/srv/app")).fingerprint());
        changed.add(planOne("app", new CopySpec(app, "/srv/app", List.of(), List.of(),
                new FileProperties(null, null, "10001", "10001", null))).fingerprint());
        Files.createDirectory(app.resolve("empty"));
        changed.add(planOne("app", copy(app, "/srv/app")).fingerprint());

        List<String> all = new ArrayList<>(changed);
        all.add(0, first);
        assertEquals(all.size(), all.stream().distinct().count(), "every change gives a new fingerprint: " + all);
    }

    // Helpers

    /** Compares descriptions first (FileEntry has no toString), then the entries themselves. */
    private static void assertEntries(List<FileEntry> expected, List<FileEntry> actual) {
        assertEquals(describe(expected), describe(actual));
        assertEquals(expected, actual);
    }

    private static List<String> describe(List<FileEntry> entries) {
        return entries.stream().map(e -> e.getSourceFile() + " -> " + e.getExtractionPath() + " "
                + e.getPermissions().toOctalString() + " " + e.getOwnership() + " " + e.getModificationTime()).toList();
    }

    private static LayerPlanner.Planned planOne(String name, CopySpec... copies) {
        List<LayerPlanner.Planned> planned = LayerPlanner.plan(List.of(new LayerSpec(name, List.of(copies))));
        assertEquals(1, planned.size());
        return planned.get(0);
    }

    private static List<FileEntry> entries(LayerPlanner.Planned planned) {
        return planned.layer().getEntries();
    }

    private static CopySpec copy(Path source, String destination) {
        return new CopySpec(source, destination, List.of(), List.of(), FileProperties.NONE);
    }

    /** An entry with the defaults: owned by 0:0, the fixed timestamp. */
    private static FileEntry entry(Path source, String target, String mode) {
        return new FileEntry(source, path(target), mode(mode), EPOCH_PLUS_ONE, "0:0");
    }

    private static AbsoluteUnixPath path(String path) {
        return AbsoluteUnixPath.get(path);
    }

    private static FilePermissions mode(String octal) {
        return FilePermissions.fromOctalString(octal);
    }

    private static Path file(Path path, String permissions) throws IOException {
        Files.writeString(path, path.getFileName().toString());
        return Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
    }

    private static Path directory(Path path, String permissions) throws IOException {
        Files.createDirectories(path);
        return Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
    }
}
