package com.pyerp.deployaction.debian;

import java.net.URI;
import java.util.List;

/**
 * One {@code deb URL SUITE COMPONENT…} line of sources.list(5), the one-line form.
 *
 * @param archive the archive root, ending in '/'
 */
public record AptSource(URI archive, String suite, List<String> components) {

    public AptSource {
        components = List.copyOf(components);
    }

    /** @throws IllegalArgumentException saying what the line lacks */
    public static AptSource parse(String line) {
        String[] words = line.strip().split("\\s+");
        if (words.length < 4 || !words[0].equals("deb")) {
            throw new IllegalArgumentException("'" + line.strip() + "' is not 'deb URL SUITE COMPONENT…', such as"
                    + " 'deb http://deb.debian.org/debian bookworm main'");
        }
        URI archive;
        try {
            archive = URI.create(words[1].endsWith("/") ? words[1] : words[1] + "/");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + words[1] + "' is not a URL");
        }
        if (!List.of("http", "https").contains(String.valueOf(archive.getScheme())) || archive.getHost() == null) {
            throw new IllegalArgumentException("'" + words[1] + "' is not an http:// or https:// URL");
        }
        if (archive.getRawUserInfo() != null) {
            throw new IllegalArgumentException("'" + archive.getScheme() + "://…@" + archive.getHost() + "' holds a login,"
                    + " which would be published in the image's history and the lock; use a mirror that needs none");
        }
        if (!words[2].matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new IllegalArgumentException("'" + words[2] + "' is not a suite such as bookworm or bookworm-updates");
        }
        return new AptSource(archive, words[2], List.of(words).subList(3, words.length));
    }

    /** The suite's directory, ending in '/'. */
    public URI suiteDirectory() {
        return archive.resolve("dists/" + suite + "/");
    }

    @Override
    public String toString() {
        return "deb " + archive + " " + suite + " " + String.join(" ", components);
    }
}
