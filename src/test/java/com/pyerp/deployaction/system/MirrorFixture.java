package com.pyerp.deployaction.system;

import com.pyerp.deployaction.debian.AptSource;
import com.pyerp.deployaction.debian.ArchiveKeyring;
import com.pyerp.deployaction.debian.BinaryPackage;
import com.pyerp.deployaction.debian.ControlParagraph;
import com.pyerp.deployaction.debian.Resolver;
import com.pyerp.deployaction.imagefs.ImageReader;
import com.pyerp.deployaction.imagefs.RegistryImageSource;
import com.pyerp.deployaction.testing.TestServices;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The loopback mirror's three Debian suites, Debian's keyring, and the python3-only base image's dpkg status. */
final class MirrorFixture {

    static final List<String> RUNTIME = List.of("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz0b",
            "fonts-liberation", "shared-mime-info", "libmariadb3", "weasyprint", "python3-mysqldb");

    /** The build environment's set: what compiling mysqlclient, pycairo and the like needs. */
    static final List<String> DEVELOPMENT = List.of("build-essential", "libcairo2-dev", "libpango1.0-dev",
            "libgdk-pixbuf-2.0-dev", "libffi-dev", "pkg-config", "default-libmysqlclient-dev", "python3-dev");

    /** Prints {@code %PDF- True True}: a PDF, with a Liberation font embedded, and the PNG in it. */
    static final String PDF_SCRIPT = String.join("\n",
            "import re, weasyprint",
            "png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=='",
            "html = '<p style=\"font-family: Liberation Serif\">Rechnung 42</p><img src=\"data:image/png;base64,' + png + '\">'",
            "pdf = weasyprint.HTML(string=html).write_pdf()",
            "embedded = re.search(rb'/BaseFont\\s*/[A-Z]{6}\\+Liberation-Serif', pdf) is not None",
            "print(pdf[:5].decode(), embedded, b'/Image' in pdf)");

    final TestServices services;
    final List<AptSource> sources;
    final ArchiveKeyring keyring;

    MirrorFixture() throws Exception {
        services = TestServices.require("DEBIAN_MIRROR", "REGISTRY");
        String url = services.debianMirrorUrl().toString().replaceAll("/$", "");
        sources = List.of(AptSource.parse("deb " + url + "/debian bookworm main"),
                AptSource.parse("deb " + url + "/debian bookworm-updates main"),
                AptSource.parse("deb " + url + "/debian-security bookworm-security main"));
        keyring = ArchiveKeyring.read(Files.readAllBytes(services.debianKeyring()));
    }

    List<BinaryPackage> candidates(String architecture) {
        SuiteIndexes indexes = new SuiteIndexes(keyring, new HttpArchive(), Instant.now());
        return indexes.packagesOf(sources.stream().map(indexes::release).toList(), architecture);
    }

    Resolver.Resolution resolve(List<String> requests, String architecture, String baseStatus) {
        return Resolver.resolve(requests.stream().map(Resolver.Request::parse).toList(), architecture,
                candidates(architecture), installed(baseStatus));
    }

    /** The python base's {@code var/lib/dpkg/status}, read from its layers in the registry. */
    String baseStatus() throws Exception {
        try (RegistryImageSource source = pythonBase()) {
            ImageReader.Result read = ImageReader.read(source, "var/lib/dpkg/status"::equals, line -> {});
            return new String(read.files().get("var/lib/dpkg/status").orElseThrow().content(), StandardCharsets.UTF_8);
        }
    }

    /** Which of the directories unpacking follows are links in the python base (lib -> usr/lib and so on). */
    Map<String, String> baseDirectoryLinks() throws Exception {
        try (RegistryImageSource source = pythonBase()) {
            ImageReader.Result read = ImageReader.read(source, PackageLayer.LINKED_DIRECTORIES::contains, line -> {});
            Map<String, String> links = new TreeMap<>();
            PackageLayer.LINKED_DIRECTORIES.forEach(directory ->
                    read.files().symbolicLink(directory).ifPresent(target -> links.put(directory, target)));
            return links;
        }
    }

    RegistryImageSource pythonBase() {
        String image = services.pythonBaseImage();
        String repository = image.substring(image.indexOf('/') + 1, image.lastIndexOf(':'));
        return new RegistryImageSource(image.substring(0, image.indexOf('/')), repository,
                image.substring(image.lastIndexOf(':') + 1), Optional.empty(), true);
    }

    static List<BinaryPackage> installed(String status) {
        return ControlParagraph.parseAll(status).stream()
                .filter(paragraph -> paragraph.get("Status").equals("install ok installed"))
                .map(paragraph -> BinaryPackage.of(paragraph, "the base image")).toList();
    }
}
