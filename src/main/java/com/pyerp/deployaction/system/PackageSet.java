package com.pyerp.deployaction.system;

import com.pyerp.deployaction.debian.BinaryPackage;
import com.pyerp.deployaction.debian.Resolver;
import java.util.ArrayList;
import java.util.List;

/**
 * What one platform's layer holds, as the summary shows it: each added package with its download size, and each
 * requested package the base already had. It travels in the layer's history entry, so that an image found in the
 * registry can say what it holds without its layer being read.
 */
record PackageSet(String architecture, List<Entry> entries) {

    /**
     * @param size the {@code .deb}'s size; 0 for a package of the base
     * @param sha256 and {@code url}: where the {@code .deb} came from; empty for a package of the base
     */
    record Entry(String name, String version, String architecture, long size, boolean added, String sha256, String url) {}

    static PackageSet of(String architecture, Resolver.Resolution resolution) {
        List<Entry> entries = new ArrayList<>();
        resolution.added().forEach(added -> entries.add(entry(added, true)));
        resolution.inBase().forEach(base -> entries.add(entry(base, false)));
        return new PackageSet(architecture, List.copyOf(entries));
    }

    private static Entry entry(BinaryPackage binary, boolean added) {
        return added ? new Entry(binary.name(), binary.version(), binary.architecture(), binary.size(), true,
                binary.sha256(), SuiteIndexes.debUri(binary).toString())
                : new Entry(binary.name(), binary.version(), binary.architecture(), 0, false, "", "");
    }

    long addedBytes() {
        return entries.stream().filter(Entry::added).mapToLong(Entry::size).sum();
    }

    long addedCount() {
        return entries.stream().filter(Entry::added).count();
    }

    /**
     * One line per package: {@code added name version architecture size sha256 url}, or for one of the base
     * {@code base name version architecture 0}.
     */
    String encode() {
        StringBuilder text = new StringBuilder("packages for " + architecture + "\n");
        entries.forEach(entry -> text.append(entry.added() ? "added " : "base ").append(entry.name()).append(' ')
                .append(entry.version()).append(' ').append(entry.architecture()).append(' ').append(entry.size())
                .append(entry.added() ? " " + entry.sha256() + " " + entry.url() : "").append('\n'));
        return text.toString();
    }

    /** The set {@link #encode} wrote; empty entries for a comment this version did not write. */
    static PackageSet decode(String comment) {
        String[] lines = comment.split("\n");
        if (lines.length == 0 || !lines[0].startsWith("packages for ")) {
            return new PackageSet("", List.of());
        }
        List<Entry> entries = new ArrayList<>();
        for (int index = 1; index < lines.length; index++) {
            String[] fields = lines[index].split(" ");
            boolean added = fields[0].equals("added");
            if (fields.length == (added ? 7 : 5) && fields[4].matches("[0-9]+")) {
                entries.add(new Entry(fields[1], fields[2], fields[3], Long.parseLong(fields[4]), added,
                        added ? fields[5] : "", added ? fields[6] : ""));
            }
        }
        return new PackageSet(lines[0].substring("packages for ".length()), List.copyOf(entries));
    }
}
