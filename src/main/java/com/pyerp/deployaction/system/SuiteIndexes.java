package com.pyerp.deployaction.system;

import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.debian.AptSource;
import com.pyerp.deployaction.debian.ArchiveKeyring;
import com.pyerp.deployaction.debian.BinaryPackage;
import com.pyerp.deployaction.debian.ControlParagraph;
import com.pyerp.deployaction.debian.ReleaseFile;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * Reads the {@code Packages} indexes of the configured suites for one architecture, trusting nothing unchecked:
 * each suite's {@code InRelease} (or {@code Release} with {@code Release.gpg}) is verified against the keyring and
 * must not have passed its {@code Valid-Until}; each index must have the size and SHA256 that Release lists. Any
 * mismatch fails with one error that names the file and what did not match. Each package's origin is the URL of
 * the index it came from.
 */
public final class SuiteIndexes {

    /** An HTTP GET: the body, or empty for 404 (a file the mirror does not have). */
    @FunctionalInterface
    public interface Http {
        Optional<byte[]> get(URI uri) throws IOException;

        /** The body as it arrives, for files too large to hold (indexes, packages); the caller closes it. */
        default Optional<InputStream> open(URI uri) throws IOException {
            return get(uri).map(ByteArrayInputStream::new);
        }
    }

    /**
     * A suite's verified Release, and where it came from.
     *
     * @param signedSha256 of the signed file as served (InRelease, or Release): it changes with every update
     */
    public record Suite(AptSource source, URI releaseUri, ReleaseFile release, String signedSha256) {}

    static final String TITLE = "System packages: archive not trusted";
    private static final List<String> COMPRESSIONS = List.of(".xz", ".gz", "");

    private final ArchiveKeyring keyring;
    private final Http http;
    private final Instant now;

    public SuiteIndexes(ArchiveKeyring keyring, Http http, Instant now) {
        this.keyring = keyring;
        this.http = http;
        this.now = now;
    }

    /** Every package the suites, already verified, offer for {@code architecture} (and {@code all}). */
    public List<BinaryPackage> packagesOf(List<Suite> suites, String architecture) {
        List<BinaryPackage> packages = new ArrayList<>();
        for (Suite suite : suites) {
            for (String component : suite.source().components()) {
                String path = component + "/binary-" + architecture + "/Packages";
                read(suite, path, packages);
            }
        }
        return packages;
    }

    /** The suite's Release, its signature checked and its validity in force. */
    public Suite release(AptSource source) {
        URI inRelease = source.suiteDirectory().resolve("InRelease");
        URI origin = inRelease;
        String text;
        byte[] served;
        try {
            Optional<byte[]> signed = http.get(inRelease);
            if (signed.isPresent()) {
                served = signed.get();
                text = keyring.verifyClearSigned(served);
            } else {
                URI releaseUri = source.suiteDirectory().resolve("Release");
                origin = releaseUri;
                byte[] release = http.get(releaseUri).orElseThrow(() -> new ActionException(TITLE, source.suiteDirectory()
                        + " has neither InRelease nor Release: check the suite '" + source.suite() + "' of '" + source
                        + "' in system-packages-sources."));
                byte[] signature = http.get(source.suiteDirectory().resolve("Release.gpg")).orElseThrow(() ->
                        new ActionException(TITLE, releaseUri + " is not signed (there is no Release.gpg beside it); the"
                                + " action installs only from signed archives."));
                keyring.verifyDetached(release, signature);
                served = release;
                text = new String(release, StandardCharsets.UTF_8);
            }
        } catch (ArchiveKeyring.BadSignature e) {
            throw new ActionException(TITLE, origin + ": " + e.getMessage() + ". Check that system-packages-keyring"
                    + " holds the archive's signing keys (the default holds Debian's only), and that the mirror is not"
                    + " serving changed files.");
        } catch (IOException e) {
            throw unreachable(origin, e);
        }
        ReleaseFile release;
        try {
            release = ReleaseFile.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ActionException(TITLE, origin + ": " + e.getMessage() + ".");
        }
        if (!release.codename().equals(source.suite()) && !release.suite().equals(source.suite())) {
            throw new ActionException(TITLE, origin + " is signed for the suite '" + release.suite() + "' ("
                    + release.codename() + "), not for '" + source.suite() + "': the mirror, or something between it and"
                    + " the runner, serves another suite in its place.");
        }
        Optional<Instant> expired = release.validUntil().filter(until -> until.isBefore(now));
        if (expired.isPresent()) {
            throw new ActionException(TITLE, origin + " was valid until " + expired.get() + ", which has passed (it is"
                    + " now " + now + "): the mirror serves an outdated suite. Use a mirror that is up to date.");
        }
        return new Suite(source, origin, release, HexFormat.of().formatHex(sha256Digest().digest(served)));
    }

    private void read(Suite suite, String path, List<BinaryPackage> into) {
        URI directory = suite.source().suiteDirectory();
        String origin = directory.resolve(path).toString();
        List<ReleaseFile.IndexFile> listed = COMPRESSIONS.stream()
                .map(suffix -> suite.release().sha256().get(path + suffix)).filter(file -> file != null).toList();
        if (listed.isEmpty()) {
            throw new ActionException(TITLE, suite.releaseUri() + " lists no " + path + " index: check the components"
                    + " of '" + suite.source() + "' in system-packages-sources, and the platform's architecture.");
        }
        for (ReleaseFile.IndexFile file : listed) {
            URI uri = directory.resolve(file.path());
            try {
                Optional<InputStream> body = http.open(uri);
                if (body.isEmpty()) {
                    continue;
                }
                into.addAll(parse(uri, file, body.get(), origin));
                return;
            } catch (IOException e) {
                throw unreachable(uri, e);
            }
        }
        throw new ActionException(TITLE, "The mirror has none of the " + path + " indexes that " + suite.releaseUri()
                + " lists (" + String.join(", ", listed.stream().map(ReleaseFile.IndexFile::path).toList()) + ").");
    }

    /** Where a package of these indexes is downloaded from: its archive's root and its {@code Filename}. */
    public static URI debUri(BinaryPackage candidate) {
        String index = candidate.origin();
        return URI.create(index.substring(0, index.indexOf("/dists/") + 1)).resolve(candidate.filename());
    }

    /**
     * Parses the index as it streams in, hashing the bytes on the way; what was parsed is kept only when size and
     * hash then match the Release, so that a 50 MB index is never held whole.
     */
    private static List<BinaryPackage> parse(URI uri, ReleaseFile.IndexFile listed, InputStream body, String origin)
            throws IOException {
        MessageDigest digest = sha256Digest();
        List<BinaryPackage> parsed = new ArrayList<>();
        long size;
        try {
            size = parseCounted(listed, body, origin, digest, parsed, uri);
        } catch (TooLong e) {
            throw new ActionException(TITLE, uri + ": the mirror sends more than the " + listed.size() + " bytes that"
                    + " the Release file lists. The mirror serves a file that was changed or is mid-update; retry, or use"
                    + " another mirror.");
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        return checked(uri, listed, size, actual, parsed);
    }

    private static long parseCounted(ReleaseFile.IndexFile listed, InputStream body, String origin, MessageDigest digest,
            List<BinaryPackage> parsed, URI uri) throws IOException {
        long size;
        try (Counting counted = new Counting(new DigestInputStream(body, digest), listed.size())) {
            try {
                BufferedReader reader = new BufferedReader(new InputStreamReader(decompressed(listed.path(), counted),
                        StandardCharsets.UTF_8), 1 << 16);
                ControlParagraph.read(reader, BinaryPackage.FIELDS::contains,
                        paragraph -> parsed.add(BinaryPackage.of(paragraph, origin)));
            } catch (IOException | IllegalArgumentException e) {
                counted.transferTo(OutputStream.nullOutputStream());
                if (matches(counted.count, digest, listed)) {
                    throw new ActionException(TITLE, uri + " cannot be read as a Packages index (" + e.getMessage() + ").");
                }
            }
            counted.transferTo(OutputStream.nullOutputStream());
            size = counted.count;
        }
        return size;
    }

    private static List<BinaryPackage> checked(URI uri, ReleaseFile.IndexFile listed, long size, String actual,
            List<BinaryPackage> parsed) {
        if (size != listed.size() || !actual.equals(listed.sha256())) {
            throw new ActionException(TITLE, uri + ": " + size + " bytes with SHA256 " + actual + ", but the"
                    + " Release file lists " + listed.size() + " bytes with SHA256 " + listed.sha256() + ". The mirror"
                    + " serves a file that was changed or is mid-update; retry, or use another mirror.");
        }
        return parsed;
    }

    /** Counts the bytes read through it, and stops a body that runs past the size the Release lists. */
    private static final class Counting extends FilterInputStream {
        private final long limit;
        long count;

        Counting(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int c = super.read();
            counted(c >= 0 ? 1 : 0);
            return c;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int read = super.read(buffer, offset, length);
            counted(Math.max(read, 0));
            return read;
        }

        private void counted(int bytes) throws TooLong {
            count += bytes;
            if (count > limit) {
                throw new TooLong();
            }
        }
    }

    private static final class TooLong extends IOException {
        TooLong() {
            super("longer than the Release file lists");
        }
    }

    private static boolean matches(long size, MessageDigest digest, ReleaseFile.IndexFile listed) {
        try {
            MessageDigest copy = (MessageDigest) digest.clone();
            return size == listed.size() && HexFormat.of().formatHex(copy.digest()).equals(listed.sha256());
        } catch (CloneNotSupportedException e) {
            return true;
        }
    }

    private static InputStream decompressed(String path, InputStream in) throws IOException {
        return path.endsWith(".xz") ? new XZInputStream(in) : path.endsWith(".gz") ? new GZIPInputStream(in, 1 << 16) : in;
    }

    static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ActionException unreachable(URI uri, IOException e) {
        return new ActionException("System packages: mirror unreachable", uri + " could not be fetched (" + e.getMessage()
                + "). Check system-packages-sources and the runner's network.");
    }
}
