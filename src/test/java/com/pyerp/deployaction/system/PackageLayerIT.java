package com.pyerp.deployaction.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pyerp.deployaction.debian.BinaryPackage;
import com.pyerp.deployaction.debian.Resolver;
import com.pyerp.deployaction.registry.RegistryRepository;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
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

    /** docker load of the system image: the base's layers with the packages' layer on top, as the build makes it. */
    private static void dockerLoad() throws Exception {
        String image = mirror.services.pythonBaseImage();
        RegistryRepository base = new RegistryRepository(image.substring(0, image.indexOf('/')),
                image.substring(image.indexOf('/') + 1, image.lastIndexOf(':')), Optional.empty(), true, "pull");
        BaseImage.Platform platform = BaseImage.read(base, image, image.substring(image.lastIndexOf(':') + 1), List.of())
                .platforms().get(0);
        LayerBlob blob = LayerBlob.compress(layer.tar(), temporary.resolve("packages.tar.gz"));
        Path archive = temporary.resolve("image.tar");
        SystemImageTar.write(archive, base, platform, blob, SystemImage.build(platform, blob, ""));
        String loaded = run("docker", "load", "-i", archive.toString());
        String id = loaded.substring(loaded.indexOf("Loaded image: ") + "Loaded image: ".length()).strip();
        run("docker", "tag", id, IMAGE);
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
