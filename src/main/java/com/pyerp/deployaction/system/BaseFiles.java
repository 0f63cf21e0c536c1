package com.pyerp.deployaction.system;

import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.imagefs.ImageFiles;
import com.pyerp.deployaction.imagefs.ImageReader;
import com.pyerp.deployaction.imagefs.ImageSource;
import com.pyerp.deployaction.os.OsRelease;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * What the layer is made against, read from the base image's layers: dpkg's status (what is installed), the OS
 * release (which suites are the default) and the directories that are links (merged /usr).
 */
record BaseFiles(String dpkgStatus, OsRelease osRelease, Map<String, String> directoryLinks) {

    static final String DPKG_STATUS = "var/lib/dpkg/status";
    private static final List<String> OS_RELEASE = List.of("etc/os-release", "usr/lib/os-release");

    static BaseFiles read(ImageSource source, Consumer<String> progress) throws IOException, InterruptedException {
        Set<String> wanted = new HashSet<>(PackageLayer.LINKED_DIRECTORIES);
        wanted.add(DPKG_STATUS);
        wanted.addAll(OS_RELEASE);
        ImageFiles files = ImageReader.read(source, wanted::contains, progress).files();
        String status = files.get(DPKG_STATUS).map(entry -> new String(entry.content(), StandardCharsets.UTF_8))
                .orElseThrow(() -> new ActionException("System packages: base image without dpkg", source.description()
                        + " has no /" + DPKG_STATUS + ", so it is not a Debian or Ubuntu image the action can add"
                        + " packages to. Use a Debian-based base image, such as python:3.11-slim-bookworm."));
        OsRelease release = OS_RELEASE.stream().map(files::get).flatMap(Optional::stream).findFirst()
                .map(entry -> OsRelease.parse(new String(entry.content(), StandardCharsets.UTF_8)))
                .orElse(OsRelease.UNKNOWN);
        Map<String, String> links = new TreeMap<>();
        PackageLayer.LINKED_DIRECTORIES.forEach(directory ->
                files.symbolicLink(directory).ifPresent(target -> links.put(directory, target)));
        return new BaseFiles(status, release, links);
    }
}
