package com.pyerp.deployaction.config;

import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.action.Workspace;
import com.pyerp.deployaction.debian.AptSource;
import com.pyerp.deployaction.debian.ArchiveKeyring;
import com.pyerp.deployaction.debian.Resolver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The system-packages inputs: the Debian packages to add to the base image, the archives they come from, the keys
 * those archives must be signed with, and the lock file. All of them are checked here, before anything is fetched.
 *
 * @param packages in the order given, each named once
 * @param sources empty means the base image's own archive, from its {@code /etc/os-release}
 * @param keyringSource where {@code keyring} came from, for log lines: {@link #SHIPPED_KEYRING}, the path as given,
 *     or {@link #GIVEN_KEY_BLOCK}; never the keys themselves
 */
public record SystemPackagesSettings(List<Resolver.Request> packages, List<AptSource> sources, ArchiveKeyring keyring,
        String keyringSource, Optional<Lock> lock) {

    public static final String SHIPPED_KEYRING = "Debian's archive keys (shipped)";
    public static final String GIVEN_KEY_BLOCK = "the key given in system-packages-keyring";

    /** {@code system-packages-lock}, as given and resolved against the workspace; the file need not exist yet. */
    public record Lock(String given, Path path) {}

    private static final Pattern LOGIN = Pattern.compile("://[^/\\s]*@");
    private static final Pattern PACKAGE_SEPARATOR = Pattern.compile("[\\s,]+");
    private static final Pattern PACKAGE_NAME = Pattern.compile("[a-z0-9][a-z0-9+.-]+");
    /**
     * deb-version(7): {@code [epoch:]upstream[-revision]}; the upstream part starts with a digit and may hold hyphens
     * only because a revision follows the last one, and the revision holds none, nor a colon.
     */
    private static final Pattern VERSION = Pattern.compile("(?:\\d+:)?\\d(?:[A-Za-z0-9.+~-]*[A-Za-z0-9.+~])?");
    private static final String PACKAGES_FORM = "Debian package names, each optionally name=version, separated by"
            + " spaces, commas or newlines, such as 'libpango-1.0-0 libmariadb3=1:10.11.6-0+deb12u1'";
    private static final String KEYRING_FIX = " Set it to the path of a keyring file in the repository (binary or"
            + " armoured, as gpg --export writes it), to the armoured key block itself, or leave it empty for Debian's"
            + " archive keys.";

    public SystemPackagesSettings {
        packages = List.copyOf(packages);
        sources = List.copyOf(sources);
    }

    /** Whether any package is to be added; when none is, the other system-packages inputs are refused. */
    public boolean enabled() {
        return !packages.isEmpty();
    }

    private record Keyring(ArchiveKeyring keys, String source) {}

    static SystemPackagesSettings from(Inputs inputs, Workspace workspace) {
        List<Resolver.Request> packages = packages(inputs);
        if (packages.isEmpty()) {
            refuseWithoutPackages(inputs);
        }
        List<AptSource> sources = sources(inputs);
        Keyring keyring = keyring(inputs, workspace);
        return new SystemPackagesSettings(packages, sources, keyring.keys(), keyring.source(), lock(inputs, workspace));
    }

    private static List<Resolver.Request> packages(Inputs inputs) {
        Map<String, String> named = new HashMap<>();
        List<Resolver.Request> packages = new ArrayList<>();
        for (String entry : PACKAGE_SEPARATOR.split(inputs.string(Input.SYSTEM_PACKAGES))) {
            if (entry.isEmpty()) {
                continue;
            }
            int equals = entry.indexOf('=');
            String name = equals < 0 ? entry : entry.substring(0, equals);
            if (!PACKAGE_NAME.matcher(name).matches()) {
                throw inputs.invalid(Input.SYSTEM_PACKAGES, PACKAGES_FORM + "; '" + entry + "' is not a package name"
                        + " (at least two lower-case letters, digits, '+', '-' and '.', the first a letter or digit)");
            }
            if (equals >= 0 && !VERSION.matcher(entry.substring(equals + 1)).matches()) {
                throw inputs.invalid(Input.SYSTEM_PACKAGES, PACKAGES_FORM + "; in '" + entry + "', '"
                        + entry.substring(equals + 1) + "' is not a Debian version ([epoch:]upstream[-revision],"
                        + " starting with a digit, as apt-cache policy shows it)");
            }
            String earlier = named.putIfAbsent(name, entry);
            if (earlier != null) {
                throw inputs.invalid(Input.SYSTEM_PACKAGES, PACKAGES_FORM + ", each package once; " + name
                        + " is named twice ('" + earlier + "' and '" + entry + "')");
            }
            packages.add(Resolver.Request.parse(entry));
        }
        return List.copyOf(packages);
    }

    private static void refuseWithoutPackages(Inputs inputs) {
        List<String> idle = Stream.of(Input.SYSTEM_PACKAGES_SOURCES, Input.SYSTEM_PACKAGES_KEYRING,
                Input.SYSTEM_PACKAGES_LOCK).filter(inputs::isSet).map(Input::id).toList();
        if (idle.isEmpty()) {
            return;
        }
        String names = idle.size() == 1 ? "Input '" + idle.get(0) + "' has"
                : "Inputs '" + String.join("', '", idle.subList(0, idle.size() - 1)) + "' and '"
                        + idle.get(idle.size() - 1) + "' have";
        throw new ActionException("Invalid input: " + idle.get(0), names + " no effect without system-packages. Set"
                + " system-packages to the Debian packages to add, or remove " + (idle.size() == 1 ? "it" : "them") + ".");
    }

    private static List<AptSource> sources(Inputs inputs) {
        List<AptSource> sources = new ArrayList<>();
        String[] lines = inputs.untrimmed(Input.SYSTEM_PACKAGES_SOURCES).split("\\r?\\n");
        for (int number = 1; number <= lines.length; number++) {
            // As apt reads sources.list: a '#' starts a comment wherever it stands.
            String line = lines[number - 1].replaceFirst("#.*", "").strip();
            if (line.isEmpty()) {
                continue;
            }
            if (LOGIN.matcher(line).find()) {
                // The login's password must not reach the log: neither the value nor the line is repeated.
                throw new ActionException("Invalid input: " + Input.SYSTEM_PACKAGES_SOURCES.id(), "Input '"
                        + Input.SYSTEM_PACKAGES_SOURCES.id() + "', line " + number + ": the URL holds a login (not shown),"
                        + " which would be published in the image's history and the lock. Use a mirror that needs none.");
            }
            try {
                sources.add(AptSource.parse(line));
            } catch (IllegalArgumentException e) {
                throw inputs.invalid(Input.SYSTEM_PACKAGES_SOURCES, "one 'deb URL SUITE COMPONENT…' line per source"
                        + " ('#' starts a comment), or empty for the base image's own archive; line " + number + ": "
                        + e.getMessage());
            }
        }
        return List.copyOf(sources);
    }

    private static Keyring keyring(Inputs inputs, Workspace workspace) {
        if (!inputs.isSet(Input.SYSTEM_PACKAGES_KEYRING)) {
            return new Keyring(ArchiveKeyring.debian(), SHIPPED_KEYRING);
        }
        String value = inputs.string(Input.SYSTEM_PACKAGES_KEYRING);
        if (value.contains("-----BEGIN PGP ")) {
            return new Keyring(read(value.getBytes(StandardCharsets.UTF_8), "the key block given"), GIVEN_KEY_BLOCK);
        }
        if (value.contains("\n")) {
            throw keyringRejected("is a multi-line value that is neither the path of a file nor an armoured key block"
                    + " (-----BEGIN PGP PUBLIC KEY BLOCK-----).");
        }
        Path file = workspace.resolve(value);
        if (!workspace.containsInput(file)) {
            throw new ActionException("Invalid input: " + Input.SYSTEM_PACKAGES_KEYRING.id(), "Input '"
                    + Input.SYSTEM_PACKAGES_KEYRING.id() + "': '" + value + "' " + workspace.outside()
                    + ", or give the armoured key block itself.");
        }
        Path shown = file.toAbsolutePath().normalize();
        if (!Files.isRegularFile(file)) {
            throw keyringRejected("is '" + value + "', but " + (Files.exists(file) ? shown + " is not a file."
                    : "there is no such file (" + shown + ")."));
        }
        try {
            return new Keyring(read(Files.readAllBytes(file), "'" + value + "'"), value);
        } catch (IOException e) {
            throw keyringRejected("is '" + value + "', but " + shown + " cannot be read (" + e.getClass().getSimpleName()
                    + ").");
        }
    }

    /** @param given how the error names the keys: the path as given, or "the key block given", never the block */
    private static ArchiveKeyring read(byte[] keys, String given) {
        try {
            return ArchiveKeyring.read(keys);
        } catch (IllegalArgumentException e) {
            throw keyringRejected("is " + given + ", but " + e.getMessage() + ".");
        }
    }

    private static ActionException keyringRejected(String problem) {
        String id = Input.SYSTEM_PACKAGES_KEYRING.id();
        return new ActionException("Invalid input: " + id, "Input '" + id + "' " + problem + KEYRING_FIX);
    }

    private static Optional<Lock> lock(Inputs inputs, Workspace workspace) {
        if (!inputs.isSet(Input.SYSTEM_PACKAGES_LOCK)) {
            return Optional.empty();
        }
        String given = inputs.string(Input.SYSTEM_PACKAGES_LOCK);
        if (given.contains("\n")) {
            throw inputs.invalid(Input.SYSTEM_PACKAGES_LOCK, "one path of a file in the repository, such as"
                    + " system-packages.lock");
        }
        Path path = workspace.resolve(given);
        if (!workspace.containsInput(path)) {
            throw new ActionException("Invalid input: " + Input.SYSTEM_PACKAGES_LOCK.id(), "Input '"
                    + Input.SYSTEM_PACKAGES_LOCK.id() + "': '" + given + "' " + workspace.outside() + ".");
        }
        return Optional.of(new Lock(given, path));
    }
}
