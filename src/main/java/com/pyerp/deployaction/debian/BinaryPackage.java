package com.pyerp.deployaction.debian;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One binary package as a {@code Packages} index or dpkg's status describes it: what resolution needs, with the
 * relation fields kept as written and parsed when asked (an index holds some 60,000 packages, few of which are
 * ever looked at).
 *
 * @param multiArch {@code same}, {@code foreign}, {@code allowed} or empty ({@code no})
 * @param filename the {@code .deb}'s path below the archive root; empty in dpkg's status
 * @param sha256 the {@code .deb}'s SHA256 in hex; empty in dpkg's status
 * @param origin the index it came from (such as {@code bookworm/main}), or {@code the base image}, for messages
 */
public record BinaryPackage(
        String name,
        String version,
        String architecture,
        String multiArch,
        boolean essential,
        List<Relation> provides,
        String preDependsField,
        String dependsField,
        String conflictsField,
        String breaksField,
        String filename,
        long size,
        String sha256,
        String origin) {

    /** The fields {@link #of} reads, by lower-case name: an index's other fields need not be kept. */
    public static final Set<String> FIELDS = Set.of("package", "version", "architecture", "multi-arch", "essential",
            "provides", "pre-depends", "depends", "conflicts", "breaks", "filename", "size", "sha256");

    /** @throws IllegalArgumentException naming the package, for a field that cannot be read */
    public static BinaryPackage of(ControlParagraph paragraph, String origin) {
        String name = paragraph.get("Package");
        if (name.isEmpty() || paragraph.get("Version").isEmpty()) {
            throw new IllegalArgumentException("a paragraph in " + origin + " has no Package or no Version");
        }
        try {
            String size = paragraph.get("Size");
            String provides = paragraph.get("Provides");
            return new BinaryPackage(name, paragraph.get("Version"), paragraph.get("Architecture"),
                    paragraph.get("Multi-Arch"), paragraph.get("Essential").equals("yes"),
                    provides.isEmpty() ? List.of() : Relation.parseList(provides), paragraph.get("Pre-Depends"),
                    paragraph.get("Depends"), paragraph.get("Conflicts"), paragraph.get("Breaks"),
                    paragraph.get("Filename"), size.isEmpty() ? 0 : Long.parseLong(size), paragraph.get("SHA256"),
                    origin);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("package " + name + " in " + origin + ": " + e.getMessage(), e);
        }
    }

    /** Pre-Depends, then Depends: what must be there first, then what must be there too. */
    public List<List<Relation>> dependencies() {
        return Stream.concat(relations(preDependsField).stream(), relations(dependsField).stream())
                .toList();
    }

    /** Conflicts and Breaks: both keep a package out of the same image, as nothing is ever half-configured here. */
    public List<Relation> exclusions() {
        return Stream.concat(relations(conflictsField).stream(), relations(breaksField).stream())
                .flatMap(List::stream).toList();
    }

    /** {@code name:architecture=version}, as apt writes a candidate. */
    public String describe() {
        return name + ":" + architecture + "=" + version;
    }

    /** Whether this package, by its name or a name it provides, satisfies {@code relation}. */
    public boolean satisfies(Relation relation) {
        if (relation.name().equals(name)) {
            return relation.allows(version);
        }
        // A provided name satisfies a versioned relation only through its own version (Provides: x (= 1)).
        return provides.stream().anyMatch(provided -> provided.name().equals(relation.name())
                && (relation.constraint().isEmpty()
                        || provided.constraint().map(c -> relation.allows(c.version())).orElse(false)));
    }

    private List<List<Relation>> relations(String field) {
        try {
            return Relation.parseField(field);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("package " + describe() + " in " + origin + ": " + e.getMessage(), e);
        }
    }
}
