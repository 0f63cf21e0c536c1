package com.pyerp.deployaction.scan.inventory;

import com.pyerp.deployaction.imagefs.ImageFiles;
import com.pyerp.deployaction.os.OsRelease;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which files the scanner reads, and the packages they describe: dpkg's status database (and distroless
 * {@code status.d/}), apk's installed database, Python {@code *.dist-info/METADATA} and {@code *.egg-info/PKG-INFO},
 * the file form of {@code *.egg-info} (distutils installs, as in Debian's pycparser), and the OS release. Package URLs
 * take the form syft gives them.
 */
public final class Catalog {

    static final String DPKG_STATUS = "var/lib/dpkg/status";
    static final String DPKG_STATUS_D = "var/lib/dpkg/status.d/";
    static final String APK_INSTALLED = "lib/apk/db/installed";
    static final List<String> OS_RELEASE = List.of("etc/os-release", "usr/lib/os-release");

    private Catalog() {}

    public static boolean wanted(String path) {
        if (path.endsWith(".dist-info/METADATA") || path.endsWith(".egg-info/PKG-INFO") || path.endsWith(".egg-info")) {
            return true;
        }
        if (path.startsWith(DPKG_STATUS_D)) {
            String name = path.substring(DPKG_STATUS_D.length());
            return !name.contains("/") && !name.endsWith(".md5sums");
        }
        return path.equals(DPKG_STATUS) || path.equals(APK_INSTALLED) || OS_RELEASE.contains(path);
    }

    public record Result(OsRelease os, List<Package> packages) {}

    public static Result of(ImageFiles files) {
        OsRelease os = OS_RELEASE.stream().map(files::get).flatMap(java.util.Optional::stream).findFirst()
                .map(entry -> OsRelease.parse(text(entry.content()))).orElse(OsRelease.UNKNOWN);
        List<Package> packages = new ArrayList<>();
        for (ImageFiles.Entry entry : files.entries()) {
            String path = entry.path();
            if (path.equals(DPKG_STATUS) || path.startsWith(DPKG_STATUS_D)) {
                packages.addAll(dpkg(entry, os));
            } else if (path.equals(APK_INSTALLED)) {
                packages.addAll(apk(entry, os));
            } else if (path.endsWith("/METADATA") || path.endsWith("/PKG-INFO") || path.endsWith(".egg-info")) {
                python(entry).ifPresent(packages::add);
            }
        }
        return new Result(os, List.copyOf(packages));
    }

    /** RFC 822 style paragraphs; continuation lines (leading space or tab) are appended to the previous field. */
    static List<Map<String, String>> paragraphs(String text) {
        List<Map<String, String>> paragraphs = new ArrayList<>();
        Map<String, String> current = new LinkedHashMap<>();
        String last = null;
        for (String line : text.split("\n", -1)) {
            if (line.isBlank()) {
                if (!current.isEmpty()) {
                    paragraphs.add(current);
                    current = new LinkedHashMap<>();
                }
                last = null;
            } else if ((line.startsWith(" ") || line.startsWith("\t")) && last != null) {
                current.merge(last, "\n" + line.strip(), String::concat);
            } else {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    last = line.substring(0, colon);
                    current.putIfAbsent(last, line.substring(colon + 1).strip());
                }
            }
        }
        if (!current.isEmpty()) {
            paragraphs.add(current);
        }
        return paragraphs;
    }

    private static List<Package> dpkg(ImageFiles.Entry entry, OsRelease os) {
        List<Package> packages = new ArrayList<>();
        for (Map<String, String> fields : paragraphs(text(entry.content()))) {
            String name = fields.get("Package");
            String version = fields.get("Version");
            String status = fields.getOrDefault("Status", "install ok installed");
            if (name == null || version == null || status.contains("deinstall") || status.endsWith("not-installed")
                    || status.endsWith("config-files")) {
                continue;
            }
            String source = fields.getOrDefault("Source", "");
            String sourceName = name;
            String sourceVersion = version;
            if (!source.isEmpty()) {
                int paren = source.indexOf(" (");
                sourceName = paren < 0 ? source.trim() : source.substring(0, paren).trim();
                if (paren >= 0 && source.endsWith(")")) {
                    sourceVersion = source.substring(paren + 2, source.length() - 1).trim();
                }
            }
            String arch = fields.getOrDefault("Architecture", "");
            packages.add(new Package(Package.Type.DEB, name, version, sourceName, sourceVersion,
                    debPurl(os, name, version, arch, sourceName, sourceVersion), entry.layer(), entry.path()));
        }
        return packages;
    }

    private static List<Package> apk(ImageFiles.Entry entry, OsRelease os) {
        List<Package> packages = new ArrayList<>();
        for (Map<String, String> fields : paragraphs(text(entry.content()))) {
            String name = fields.get("P");
            String version = fields.get("V");
            if (name == null || version == null) {
                continue;
            }
            String origin = fields.getOrDefault("o", name);
            String arch = fields.getOrDefault("A", "");
            String purl = "pkg:apk/" + namespace(os, "alpine") + "/" + Purl.encode(name) + "@" + Purl.encode(version)
                    + qualifiers(arch, os, origin.equals(name) ? "" : origin);
            packages.add(new Package(Package.Type.APK, name, version, origin, version, purl, entry.layer(),
                    entry.path()));
        }
        return packages;
    }

    private static java.util.Optional<Package> python(ImageFiles.Entry entry) {
        List<Map<String, String>> headers = paragraphs(text(entry.content()));
        if (headers.isEmpty()) {
            return java.util.Optional.empty();
        }
        String name = headers.get(0).get("Name");
        String version = headers.get(0).get("Version");
        if (name == null || version == null || name.equals("Python")) {
            return java.util.Optional.empty();
        }
        String purl = "pkg:pypi/" + Purl.encode(Package.normalizePython(name)) + "@" + Purl.encode(version);
        return java.util.Optional.of(new Package(Package.Type.PYPI, name, version, name, version, purl, entry.layer(),
                entry.path()));
    }

    private static String debPurl(OsRelease os, String name, String version, String arch, String sourceName,
            String sourceVersion) {
        String upstream = sourceName.equals(name) ? "" : sourceName + (sourceVersion.equals(version) ? "" : "@" + sourceVersion);
        return "pkg:deb/" + namespace(os, "debian") + "/" + Purl.encode(name) + "@" + Purl.encode(version)
                + qualifiers(arch, os, upstream);
    }

    private static String namespace(OsRelease os, String fallback) {
        return os.known() ? Purl.encode(os.id()) : fallback;
    }

    /** syft's qualifiers, in its (alphabetical) order: arch, distro, upstream. */
    private static String qualifiers(String arch, OsRelease os, String upstream) {
        List<String> parts = new ArrayList<>();
        if (!arch.isEmpty()) {
            parts.add("arch=" + Purl.encodeQualifier(arch));
        }
        if (os.known()) {
            parts.add("distro=" + Purl.encodeQualifier(os.distro()));
        }
        if (!upstream.isEmpty()) {
            parts.add("upstream=" + Purl.encodeQualifier(upstream));
        }
        return parts.isEmpty() ? "" : "?" + String.join("&", parts);
    }

    private static String text(byte[] content) {
        return new String(content, StandardCharsets.UTF_8).replace("\r\n", "\n");
    }
}
