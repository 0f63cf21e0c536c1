package com.pyerp.deployaction.system;

import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.imagefs.ImageFiles;
import com.pyerp.deployaction.imagefs.ImageReader;
import com.pyerp.deployaction.imagefs.ImageSource;
import com.pyerp.deployaction.os.OsRelease;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * What the layer is made against, read from the base image's layers: dpkg's status and, in distroless images,
 * {@code status.d/} (what is installed), the OS release (which suites are the default) and the directories that
 * are links (merged /usr). The layer's status file extends the base's own; {@code status.d/} stays as it is.
 *
 * @param statusD the paragraphs of {@code status.d/}, by file name
 */
record BaseFiles(String dpkgStatus, String statusD, OsRelease osRelease, Map<String, String> directoryLinks) {

    static final String DPKG_STATUS = "var/lib/dpkg/status";
    /** Distroless images keep one paragraph per package here instead of a status file. */
    static final String DPKG_STATUS_D = "var/lib/dpkg/status.d/";
    private static final List<String> OS_RELEASE = List.of("etc/os-release", "usr/lib/os-release");

    /** What is installed: the status file's paragraphs, then those of {@code status.d/}. */
    String installed() {
        return dpkgStatus + "\n\n" + statusD;
    }

    static BaseFiles read(ImageSource source, Consumer<String> progress) throws IOException, InterruptedException {
        Set<String> wanted = new HashSet<>(PackageLayer.LINKED_DIRECTORIES);
        wanted.add(DPKG_STATUS);
        wanted.addAll(OS_RELEASE);
        ImageFiles files = ImageReader.read(source, path -> wanted.contains(path) || statusD(path), progress).files();
        Optional<String> status = files.get(DPKG_STATUS).map(BaseFiles::text);
        List<String> statusD = files.entries().stream().filter(entry -> statusD(entry.path()))
                .sorted(Comparator.comparing(ImageFiles.Entry::path)).map(entry -> text(entry).strip()).toList();
        if (status.isEmpty() && statusD.isEmpty()) {
            throw new ActionException("System packages: base image without dpkg", source.description()
                    + " has neither /" + DPKG_STATUS + " nor /" + DPKG_STATUS_D + ", so it is not a Debian or Ubuntu"
                    + " image the action can add packages to. Use a Debian-based base image, such as"
                    + " python:3.11-slim-bookworm.");
        }
        OsRelease release = OS_RELEASE.stream().map(files::get).flatMap(Optional::stream).findFirst()
                .map(entry -> OsRelease.parse(text(entry))).orElse(OsRelease.UNKNOWN);
        Map<String, String> links = new TreeMap<>();
        PackageLayer.LINKED_DIRECTORIES.forEach(directory ->
                files.symbolicLink(directory).ifPresent(target -> links.put(directory, target)));
        return new BaseFiles(status.orElse(""), String.join("\n\n", statusD), release, links);
    }

    private static boolean statusD(String path) {
        if (!path.startsWith(DPKG_STATUS_D)) {
            return false;
        }
        String name = path.substring(DPKG_STATUS_D.length());
        return !name.isEmpty() && !name.contains("/") && !name.endsWith(".md5sums");
    }

    private static String text(ImageFiles.Entry entry) {
        return new String(entry.content(), StandardCharsets.UTF_8);
    }
}
