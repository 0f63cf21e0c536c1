package com.pyerp.deployaction.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pyerp.deployaction.debian.BinaryPackage;
import com.pyerp.deployaction.debian.Resolver;
import com.pyerp.deployaction.imagefs.ImageSource;
import com.pyerp.deployaction.imagefs.RegistryImageSource;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run-time set for the python3-only base, downloaded from the loopback mirror, verified, laid into one layer
 * above the base's, and run in docker (only the run needs the daemon): WeasyPrint renders a PDF with a Liberation
 * font, MySQLdb imports, and dpkg knows and verifies every package.
 */
class PackageLayerIT {

    private static final String IMAGE = "pyerp-test/system-packages:layer-it";

    @TempDir
    static Path temporary;
    private static MirrorFixture mirror;
    private static Resolver.Resolution resolution;
    private static PackageLayer.Result layer;
    private static String baseStatus;
    private static Map<String, String> baseLinks;

    @BeforeAll
    static void build() throws Exception {
        mirror = new MirrorFixture();
        baseStatus = mirror.baseStatus();
        baseLinks = mirror.baseDirectoryLinks();
        resolution = mirror.resolve(MirrorFixture.RUNTIME, "amd64", baseStatus);
        DebDownloads downloads = new DebDownloads(new HttpArchive(), temporary.resolve("debs"));
        List<PackageLayer.Unpack> unpack = new ArrayList<>();
        for (BinaryPackage added : resolution.added()) {
            unpack.add(new PackageLayer.Unpack(added, downloads.fetch(added)));
        }
        Files.createDirectories(temporary.resolve("staging"));
        layer = PackageLayer.write(unpack, baseStatus, baseLinks, temporary.resolve("staging"),
                temporary.resolve("packages.tar"));
        dockerLoad();
    }

    @AfterAll
    static void removeImage() throws Exception {
        if (System.getenv("KEEP_IMAGE") == null) {
            run("docker", "rmi", "-f", IMAGE);
        }
    }

    @Test
    void weasyPrintRendersAPdfWithALiberationFont() throws Exception {
        assertEquals("%PDF- True True", container("python3", "-c", MirrorFixture.PDF_SCRIPT).strip());
    }

    @Test
    void mysqlDbImports() throws Exception {
        assertEquals("ok", container("python3", "-c", "import MySQLdb; print('ok')").strip());
    }

    @Test
    void dpkgKnowsEveryAddedPackageAndVerifiesAllFiles() throws Exception {
        List<String> command = new ArrayList<>(List.of("dpkg-query", "-W", "-f", "${Package}=${Version} ${db:Status-Abbrev}\\n"));
        resolution.added().forEach(added -> command.add(added.name()));
        String listed = container(command.toArray(String[]::new));
        for (BinaryPackage added : resolution.added()) {
            assertTrue(listed.contains(added.name() + "=" + added.version() + " ii "), added.describe() + " in\n" + listed);
        }
        List<String> verify = new ArrayList<>(List.of("dpkg", "--verify"));
        resolution.added().forEach(added -> verify.add(added.name()));
        assertEquals("", container(verify.toArray(String[]::new)), "every added file is as its md5sums say");
        assertEquals("", container("sh", "-c", "dpkg --audit"), "no package is half-installed");
    }

    @Test
    void theLayerIsDeterministicAndListsWhatWasNotRun() throws Exception {
        List<PackageLayer.Unpack> unpack = new ArrayList<>();
        DebDownloads downloads = new DebDownloads(new HttpArchive(), temporary.resolve("debs"));
        for (BinaryPackage added : resolution.added()) {
            unpack.add(new PackageLayer.Unpack(added, downloads.fetch(added)));
        }
        Path again = Files.createDirectories(temporary.resolve("staging-again"));
        PackageLayer.Result second = PackageLayer.write(unpack, baseStatus, baseLinks, again,
                temporary.resolve("again.tar"));
        assertEquals(sha256(layer.tar()), sha256(second.tar()));
        assertTrue(layer.scripted().contains("shared-mime-info") && layer.scripted().contains("fontconfig"),
                layer.scripted().toString());
    }

    private static String container(String... command) throws Exception {
        List<String> argv = new ArrayList<>(List.of("docker", "run", "--rm", "--network", "host", IMAGE));
        argv.addAll(List.of(command));
        return run(argv.toArray(String[]::new));
    }

    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(180, TimeUnit.SECONDS), String.join(" ", command));
        assertEquals(0, process.exitValue(), String.join(" ", command) + "\n" + output);
        return output;
    }

    /** docker load of the base's layers with the packages' layer on top: the image the build will push. */
    private static void dockerLoad() throws Exception {
        List<String> layers = new ArrayList<>();
        List<String> diffIds = new ArrayList<>();
        try (RegistryImageSource base = mirror.pythonBase()) {
            int index = 0;
            for (ImageSource.Layer blob : base.manifest().layers()) {
                Path tar = temporary.resolve("base-" + index++ + ".tar");
                try (InputStream in = new GZIPInputStream(base.openLayer(blob))) {
                    diffIds.add(copyHashing(in, tar));
                }
                layers.add(tar.getFileName().toString());
            }
        }
        layers.add(layer.tar().getFileName().toString());
        diffIds.add("sha256:" + sha256(layer.tar()));
        String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Env\":[\"PATH=/usr/local/sbin:"
                + "/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\"],\"Cmd\":[\"python3\"]},\"rootfs\":{\"type\":\"layers\","
                + "\"diff_ids\":[\"" + String.join("\",\"", diffIds) + "\"]}}";
        String manifest = "[{\"Config\":\"config.json\",\"RepoTags\":[\"" + IMAGE + "\"],\"Layers\":[\""
                + String.join("\",\"", layers) + "\"]}]";
        Path archive = temporary.resolve("image.tar");
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(Files.newOutputStream(archive))) {
            out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            add(out, "config.json", config.getBytes(StandardCharsets.UTF_8));
            add(out, "manifest.json", manifest.getBytes(StandardCharsets.UTF_8));
            for (String name : layers) {
                TarArchiveEntry entry = new TarArchiveEntry(name);
                entry.setSize(Files.size(temporary.resolve(name)));
                out.putArchiveEntry(entry);
                Files.copy(temporary.resolve(name), out);
                out.closeArchiveEntry();
            }
        }
        run("docker", "load", "-i", archive.toString());
    }

    private static void add(TarArchiveOutputStream out, String name, byte[] bytes) throws Exception {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(bytes.length);
        out.putArchiveEntry(entry);
        out.write(bytes);
        out.closeArchiveEntry();
    }

    private static String copyHashing(InputStream in, Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (OutputStream out = new DigestOutputStream(Files.newOutputStream(file), digest)) {
            in.transferTo(out);
        }
        return "sha256:" + HexFormat.of().formatHex(digest.digest());
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                digest.update(buffer, 0, read);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
