package com.pyerp.deployaction.system;

import com.pyerp.deployaction.debian.BinaryPackage;
import com.pyerp.deployaction.debian.ControlParagraph;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * One image layer holding the data of the given packages, unpacked in order (a later package's file wins), and
 * dpkg's database as if dpkg had installed them: the base's status with the new packages' own control paragraphs
 * ({@code Status: install ok installed}, their conffiles' MD5), and {@code info/<package>.list}, {@code .md5sums},
 * {@code .conffiles} and the other control files. Maintainer scripts are laid down but never run. Deterministic:
 * entries sorted by path, owners and modes from the packages, one fixed time.
 */
final class PackageLayer {

    /** A package to unpack: what the index says of it, and its downloaded, verified {@code .deb}. */
    record Unpack(BinaryPackage index, Path deb) {}

    /** @param scripted the packages whose maintainer scripts were not run */
    record Result(Path tar, long bytes, List<String> scripted) {}

    /** Jib's fixed time for layer entries. */
    static final Instant TIME = Instant.ofEpochSecond(1);
    private static final String INFO = "var/lib/dpkg/info/";
    private static final Set<String> SCRIPTS = Set.of("preinst", "postinst", "triggers");

    private enum Kind { DIRECTORY, FILE, LINK }

    private record Node(Kind kind, int mode, long uid, long gid, String user, String group, String linkTarget, Path content,
            long size) {}

    /**
     * Directories that the base has as symbolic links, such as {@code lib -> usr/lib} on a merged-/usr system.
     * Unpacking follows them, as dpkg does, so that the layer never replaces such a link with a directory.
     */
    static final List<String> LINKED_DIRECTORIES = List.of("bin", "sbin", "lib", "lib32", "lib64", "libx32", "var/run",
            "var/lock");

    private final Map<String, String> directoryLinks;
    private final Map<String, Node> nodes = new TreeMap<>();
    private final Map<String, byte[]> database = new TreeMap<>();
    private final List<String> scripted = new ArrayList<>();

    private PackageLayer(Map<String, String> directoryLinks) {
        this.directoryLinks = directoryLinks;
    }

    /**
     * @param baseStatus the base image's {@code var/lib/dpkg/status}, empty when it has none
     * @param directoryLinks which of {@link #LINKED_DIRECTORIES} the base has as links, and their targets
     * @param staging an empty directory for the unpacked files while the layer is written
     */
    static Result write(List<Unpack> packages, String baseStatus, Map<String, String> directoryLinks, Path staging,
            Path tar) throws IOException {
        PackageLayer layer = new PackageLayer(directoryLinks);
        Map<String, ControlParagraph> status = new LinkedHashMap<>();
        for (ControlParagraph paragraph : ControlParagraph.parseAll(baseStatus)) {
            status.put(key(paragraph), paragraph);
        }
        for (StagedPackages.Package staged : StagedPackages.extract(packages, directoryLinks, staging)) {
            ControlParagraph installed = layer.unpack(staged);
            status.put(key(installed), installed);
        }
        StringBuilder text = new StringBuilder();
        status.values().forEach(paragraph -> text.append(text.length() == 0 ? "" : "\n").append(write(paragraph)));
        layer.database.put("var/lib/dpkg/status", text.toString().getBytes(StandardCharsets.UTF_8));
        return new Result(tar, layer.writeTar(tar), List.copyOf(layer.scripted));
    }

    private ControlParagraph unpack(StagedPackages.Package staged) throws IOException {
        Unpack unpack = staged.unpack();
        DebFile.Control control = staged.control();
        List<String> listed = new ArrayList<>();
        for (StagedPackages.Staged entry : staged.entries()) {
            listed.add(entry.path().isEmpty() ? "/." : "/" + entry.path());
            if (!entry.path().isEmpty() && !directoryLinks.containsKey(entry.path())) {
                add(physical(entry.path()), entry);
            }
        }
        String name = control.paragraph().get("Package");
        String info = INFO + (control.paragraph().get("Multi-Arch").equals("same")
                ? name + ":" + control.paragraph().get("Architecture") : name);
        database.put(info + ".list", (String.join("\n", listed) + "\n").getBytes(StandardCharsets.UTF_8));
        for (Map.Entry<String, byte[]> file : control.files().entrySet()) {
            if (!file.getKey().matches("[a-z0-9][a-z0-9._+-]*")) {
                throw new IOException(unpack.deb().getFileName() + " has the control file '" + file.getKey()
                        + "', which is not a name dpkg accepts");
            }
            database.put(info + "." + file.getKey(), file.getValue());
        }
        if (control.files().keySet().stream().anyMatch(SCRIPTS::contains)) {
            scripted.add(name);
        }
        return installed(control);
    }

    private void add(String path, StagedPackages.Staged staged) {
        TarArchiveEntry entry = staged.entry();
        int mode = entry.getMode() & 07777;
        if (entry.isDirectory()) {
            nodes.putIfAbsent(path, new Node(Kind.DIRECTORY, mode, entry.getLongUserId(), entry.getLongGroupId(),
                    entry.getUserName(), entry.getGroupName(), null, null, 0));
        } else if (entry.isSymbolicLink()) {
            nodes.put(path, new Node(Kind.LINK, mode, entry.getLongUserId(), entry.getLongGroupId(), entry.getUserName(),
                    entry.getGroupName(), entry.getLinkName(), null, 0));
        } else if (entry.isLink()) {
            Node target = nodes.get(physical(entry.getLinkName().replaceFirst("^\\./", "")));
            if (target != null) {
                nodes.put(path, target);
            }
        } else if (entry.isFile()) {
            nodes.put(path, new Node(Kind.FILE, mode, entry.getLongUserId(), entry.getLongGroupId(), entry.getUserName(),
                    entry.getGroupName(), null, staged.file(), staged.size()));
        }
    }

    /**
     * The entry's path without its leading {@code ./}; refused when it could leave the root or write dpkg's own
     * database, as dpkg refuses it.
     */
    static String checkedPath(String name, Unpack unpack) throws IOException {
        String path = name.replaceFirst("^\\./", "").replaceFirst("/$", "");
        List<String> parts = List.of(path.split("/"));
        if (path.startsWith("/") || parts.contains("..") || parts.contains(".") || !path.isEmpty() && parts.contains("")
                || path.equals("var/lib/dpkg") || path.startsWith("var/lib/dpkg/")) {
            throw new IOException(unpack.deb().getFileName() + " (" + unpack.index().describe() + ") has the entry '"
                    + name + "', which dpkg would refuse to unpack");
        }
        return path;
    }

    /** Where dpkg would write {@code path}: through the base's directory links. */
    private String physical(String path) {
        for (Map.Entry<String, String> link : directoryLinks.entrySet()) {
            if (path.startsWith(link.getKey() + "/")) {
                return link.getValue() + path.substring(link.getKey().length());
            }
        }
        return path;
    }

    /** The package's control paragraph as dpkg's status keeps it: installed, with its conffiles' MD5. */
    private ControlParagraph installed(DebFile.Control control) throws IOException {
        Map<String, ControlParagraph.Field> fields = new LinkedHashMap<>();
        control.paragraph().fields().forEach((key, field) -> {
            fields.put(key, field);
            if (key.equals("package")) {
                fields.put("status", new ControlParagraph.Field("Status", "install ok installed"));
            }
        });
        byte[] conffiles = control.files().get("conffiles");
        if (conffiles != null) {
            StringBuilder value = new StringBuilder();
            for (String conffile : new String(conffiles, StandardCharsets.UTF_8).split("\n")) {
                Node node = nodes.get(physical(conffile.strip().replaceFirst("^/", "")));
                if (!conffile.isBlank() && node != null && node.content() != null) {
                    value.append('\n').append(conffile.strip()).append(' ').append(md5(node.content()));
                }
            }
            fields.put("conffiles", new ControlParagraph.Field("Conffiles", value.toString()));
        }
        return new ControlParagraph(fields);
    }

    private long writeTar(Path tar) throws IOException {
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(tar), 1 << 16);
                TarArchiveOutputStream out = new TarArchiveOutputStream(file)) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            Map<String, Object> all = new TreeMap<>(nodes);
            all.putAll(database);
            for (Map.Entry<String, Object> item : all.entrySet()) {
                if (item.getValue() instanceof byte[] bytes) {
                    TarArchiveEntry entry = entry(item.getKey(), TarConstants.LF_NORMAL, 0644, 0, 0, "root", "root");
                    entry.setSize(bytes.length);
                    out.putArchiveEntry(entry);
                    out.write(bytes);
                } else {
                    write(out, item.getKey(), (Node) item.getValue());
                }
                out.closeArchiveEntry();
            }
        }
        return Files.size(tar);
    }

    private static void write(TarArchiveOutputStream out, String path, Node node) throws IOException {
        switch (node.kind()) {
            case DIRECTORY -> out.putArchiveEntry(entry(path + "/", TarConstants.LF_DIR, node.mode(), node.uid(), node.gid(),
                    node.user(), node.group()));
            case LINK -> {
                TarArchiveEntry entry = entry(path, TarConstants.LF_SYMLINK, node.mode(), node.uid(), node.gid(),
                        node.user(), node.group());
                entry.setLinkName(node.linkTarget());
                out.putArchiveEntry(entry);
            }
            case FILE -> {
                TarArchiveEntry entry = entry(path, TarConstants.LF_NORMAL, node.mode(), node.uid(), node.gid(),
                        node.user(), node.group());
                entry.setSize(node.size());
                out.putArchiveEntry(entry);
                Files.copy(node.content(), out);
            }
        }
    }

    private static TarArchiveEntry entry(String name, byte type, int mode, long uid, long gid, String user, String group) {
        TarArchiveEntry entry = new TarArchiveEntry(name, type);
        entry.setMode(mode);
        entry.setUserId(uid);
        entry.setGroupId(gid);
        entry.setUserName(user);
        entry.setGroupName(group);
        entry.setModTime(TIME.toEpochMilli());
        return entry;
    }

    private static String key(ControlParagraph paragraph) {
        String architecture = paragraph.get("Architecture");
        return paragraph.get("Package") + (paragraph.get("Multi-Arch").equals("same") ? ":" + architecture : "");
    }

    /** The paragraph in control-file syntax, continuation lines indented by one space. */
    static String write(ControlParagraph paragraph) {
        StringBuilder text = new StringBuilder();
        for (ControlParagraph.Field field : paragraph.fields().values()) {
            String[] lines = field.value().split("\n", -1);
            text.append(field.name()).append(':').append(lines[0].isEmpty() ? "" : " " + lines[0]).append('\n');
            for (int i = 1; i < lines.length; i++) {
                text.append(' ').append(lines[i]).append('\n');
            }
        }
        return text.toString();
    }

    private static String md5(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
