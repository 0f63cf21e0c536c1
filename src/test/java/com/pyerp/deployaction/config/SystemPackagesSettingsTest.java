package com.pyerp.deployaction.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.action.Workspace;
import com.pyerp.deployaction.debian.AptSource;
import com.pyerp.deployaction.debian.ArchiveKeyring;
import com.pyerp.deployaction.debian.Resolver;
import com.pyerp.deployaction.debian.TestArchiveKey;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The system-packages inputs are read and checked before anything is fetched; each rejection names the fix. */
class SystemPackagesSettingsTest {

    private static final TestArchiveKey KEY = TestArchiveKey.generate();
    private static final String RELEASE = "Origin: Test\nSuite: bookworm\n";
    private static final String KEYRING_FIX = " Set it to the path of a keyring file in the repository (binary or"
            + " armoured, as gpg --export writes it), to the armoured key block itself, or leave it empty for Debian's"
            + " archive keys.";
    private static final String PACKAGES_FORM = "Debian package names, each optionally name=version, separated by"
            + " spaces, commas or newlines, such as 'libpango-1.0-0 libmariadb3=1:10.11.6-0+deb12u1'";
    private static final String WITH = ". Set it in the step's 'with:' block (or pass --%s=VALUE on the command line).";

    @TempDir
    Path workspace;

    private SystemPackagesSettings settings(String... idsAndValues) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < idsAndValues.length; i += 2) {
            env.put(Input.byId(idsAndValues[i]).orElseThrow().environmentName(), idsAndValues[i + 1]);
        }
        return SystemPackagesSettings.from(Inputs.from(env, Map.of()), new Workspace(workspace, null));
    }

    private ActionException rejected(String... idsAndValues) {
        return assertThrows(ActionException.class, () -> settings(idsAndValues));
    }

    private static String armoured(byte[] keyring) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ArmoredOutputStream armoured = new ArmoredOutputStream(out)) {
            armoured.write(keyring);
        }
        return out.toString(StandardCharsets.US_ASCII);
    }

    private static void assertHoldsTheTestKey(ArchiveKeyring keyring) throws Exception {
        assertEquals(RELEASE, keyring.verifyClearSigned(KEY.clearSign(RELEASE)));
    }

    @Test
    void nothingIsAddedByDefaultAndDebiansShippedKeysAreTheKeyring() {
        SystemPackagesSettings settings = settings();
        assertFalse(settings.enabled());
        assertEquals(List.of(), settings.packages());
        assertEquals(List.of(), settings.sources());
        assertEquals(Optional.empty(), settings.lock());
        assertEquals("Debian's archive keys (shipped)", settings.keyringSource());
        ArchiveKeyring.BadSignature e = assertThrows(ArchiveKeyring.BadSignature.class,
                () -> settings.keyring().verifyClearSigned(KEY.clearSign(RELEASE)));
        assertEquals(String.format("it is signed only by keys that are not in the keyring (%016X)", KEY.keyId()),
                e.getMessage());
    }

    @Test
    void configurationHandsThemOn() {
        Inputs inputs = Inputs.from(Map.of("INPUT_SYSTEM-PACKAGES", "libmariadb3"), Map.of());
        SystemPackagesSettings settings = new Configuration(inputs, new Workspace(workspace, null), Map.of(),
                ContextSource.WORKFLOW).systemPackages();
        assertTrue(settings.enabled());
        assertEquals(List.of(new Resolver.Request("libmariadb3", Optional.empty())), settings.packages());
    }

    @Test
    void packagesAreSeparatedBySpacesCommasAndNewlinesInTheOrderGiven() {
        SystemPackagesSettings settings = settings("system-packages", " libpango-1.0-0 libharfbuzz0b,fonts-liberation\n"
                + "shared-mime-info\r\n\tlibmariadb3=1:10.11.6-0+deb12u1 , g++-12=12.2.0-14,\n");
        assertTrue(settings.enabled());
        assertEquals(List.of(
                new Resolver.Request("libpango-1.0-0", Optional.empty()),
                new Resolver.Request("libharfbuzz0b", Optional.empty()),
                new Resolver.Request("fonts-liberation", Optional.empty()),
                new Resolver.Request("shared-mime-info", Optional.empty()),
                new Resolver.Request("libmariadb3", Optional.of("1:10.11.6-0+deb12u1")),
                new Resolver.Request("g++-12", Optional.of("12.2.0-14"))), settings.packages());
    }

    @ParameterizedTest
    @ValueSource(strings = {"7", "1.0", "2.36-9+deb12u4", "1:2.3-4", "1.0~rc1-1", "1.2-3-4", "1--2",
        "0.9+git20230101.abc-1~bpo12+1", "10:1.0a"})
    void debianVersionsAreTaken(String version) {
        assertEquals(List.of(new Resolver.Request("libfoo1", Optional.of(version))),
                settings("system-packages", "libfoo1=" + version).packages());
    }

    @Test
    void aPackageNameOutsideDebiansRulesIsRefused() {
        ActionException e = rejected("system-packages", "libpango-1.0-0 Libharfbuzz0b");
        assertEquals("Invalid input: system-packages", e.title());
        assertEquals("Input 'system-packages' is 'libpango-1.0-0 Libharfbuzz0b', but it must be " + PACKAGES_FORM
                + "; 'Libharfbuzz0b' is not a package name (at least two lower-case letters, digits, '+', '-' and '.',"
                + " the first a letter or digit)" + WITH.formatted("system-packages"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "-libfoo", "lib_foo", "libfoo:amd64", "=1.0", "+libfoo"})
    void everyMalformedNameIsRefused(String entry) {
        assertTrue(rejected("system-packages", "libfoo " + entry).getMessage()
                .contains("; '" + entry + "' is not a package name ("), entry);
    }

    @Test
    void aVersionOutsideDebVersion7IsRefused() {
        ActionException e = rejected("system-packages", "libpango-1.0-0\nlibmariadb3=v10.11");
        assertEquals("Invalid input: system-packages", e.title());
        assertEquals("Input 'system-packages' is a multi-line value, but it must be " + PACKAGES_FORM
                + "; in 'libmariadb3=v10.11', 'v10.11' is not a Debian version ([epoch:]upstream[-revision], starting"
                + " with a digit, as apt-cache policy shows it)" + WITH.formatted("system-packages"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1:", ":1.0", "a:1.0", "1.0-", "1.0_1", "1:2:3", "1.0-1-", "1.0=2", "1.0-1:2"})
    void everyMalformedVersionIsRefused(String version) {
        String entry = "libfoo=" + version;
        assertTrue(rejected("system-packages", entry).getMessage()
                .contains("; in '" + entry + "', '"), version);
    }

    @Test
    void aPackageNamedTwiceIsRefused() {
        ActionException e = rejected("system-packages", "libpango-1.0-0, libmariadb3, libpango-1.0-0=1.50.12+ds-1");
        assertEquals("Invalid input: system-packages", e.title());
        assertEquals("Input 'system-packages' is 'libpango-1.0-0, libmariadb3, libpango-1.0-0=1.50.12+ds-1', but it must"
                + " be " + PACKAGES_FORM + ", each package once; libpango-1.0-0 is named twice ('libpango-1.0-0' and"
                + " 'libpango-1.0-0=1.50.12+ds-1')" + WITH.formatted("system-packages"), e.getMessage());
    }

    @Test
    void sourcesAreOneLineEachWithBlankLinesAndCommentsLeftOut() {
        SystemPackagesSettings settings = settings("system-packages", "libmariadb3", "system-packages-sources", """
                # our mirror first

                deb http://127.0.0.1:5080/debian bookworm main contrib
                   deb https://deb.debian.org/debian-security/ bookworm-security main # security\r
                #deb http://deb.debian.org/debian bookworm-backports main
                """);
        assertEquals(List.of(
                new AptSource(URI.create("http://127.0.0.1:5080/debian/"), "bookworm", List.of("main", "contrib")),
                new AptSource(URI.create("https://deb.debian.org/debian-security/"), "bookworm-security",
                        List.of("main"))), settings.sources());
    }

    @Test
    void onlyCommentsMeanTheDefaultSources() {
        assertEquals(List.of(), settings("system-packages", "libmariadb3", "system-packages-sources",
                "# deb http://deb.debian.org/debian bookworm main").sources());
    }

    @Test
    void aSourceWithALoginIsRefusedWithoutEchoingIt() {
        ActionException e = rejected("system-packages", "libmariadb3", "system-packages-sources",
                "deb https://user:s3cret@apt.example.com/debian bookworm main");
        assertEquals("Invalid input: system-packages-sources", e.title());
        assertEquals("Input 'system-packages-sources', line 1: the URL holds a login (not shown), which would be"
                + " published in the image's history and the lock. Use a mirror that needs none.", e.getMessage());
    }

    @Test
    void aSourceLineAptSourceRefusesIsNamedByItsNumber() {
        ActionException e = rejected("system-packages", "libmariadb3", "system-packages-sources",
                "# mirror\ndeb http://deb.debian.org/debian bookworm main\ndeb ftp://ftp.debian.org/debian bookworm main");
        assertEquals("Invalid input: system-packages-sources", e.title());
        assertEquals("Input 'system-packages-sources' is a multi-line value, but it must be one 'deb URL SUITE"
                + " COMPONENT…' line per source ('#' starts a comment), or empty for the base image's own archive;"
                + " line 3: 'ftp://ftp.debian.org/debian' is not an http:// or https:// URL"
                + WITH.formatted("system-packages-sources"), e.getMessage());
    }

    @Test
    void aSourceLineWithoutAComponentIsRefused() {
        ActionException e = rejected("system-packages", "libmariadb3", "system-packages-sources",
                "deb http://deb.debian.org/debian bookworm");
        assertEquals("Input 'system-packages-sources' is 'deb http://deb.debian.org/debian bookworm', but it must be"
                + " one 'deb URL SUITE COMPONENT…' line per source ('#' starts a comment), or empty for the base"
                + " image's own archive; line 1: 'deb http://deb.debian.org/debian bookworm' is not 'deb URL SUITE"
                + " COMPONENT…', such as 'deb http://deb.debian.org/debian bookworm main'"
                + WITH.formatted("system-packages-sources"), e.getMessage());
    }

    @Test
    void aBinaryKeyringFileIsRead() throws Exception {
        Files.createDirectories(workspace.resolve("keys"));
        Files.write(workspace.resolve("keys/archive.gpg"), KEY.keyring());
        SystemPackagesSettings settings = settings("system-packages", "libmariadb3",
                "system-packages-keyring", "keys/archive.gpg");
        assertEquals("keys/archive.gpg", settings.keyringSource());
        assertHoldsTheTestKey(settings.keyring());
    }

    @Test
    void anArmouredKeyringFileIsRead() throws Exception {
        Files.writeString(workspace.resolve("archive.asc"), armoured(KEY.keyring()));
        assertHoldsTheTestKey(settings("system-packages", "libmariadb3", "system-packages-keyring", "archive.asc")
                .keyring());
    }

    @Test
    void theShippedDebianKeyringIsReadAsAFileToo() throws IOException {
        Files.copy(Path.of("src/main/resources/keyrings/debian-archive-keyring.gpg"), workspace.resolve("debian.gpg"));
        assertEquals("debian.gpg", settings("system-packages", "libmariadb3", "system-packages-keyring", "debian.gpg")
                .keyringSource());
    }

    @Test
    void anArmouredKeyBlockIsTheKeyring() throws Exception {
        SystemPackagesSettings settings = settings("system-packages", "libmariadb3",
                "system-packages-keyring", "\n" + armoured(KEY.keyring()));
        assertEquals("the key given in system-packages-keyring", settings.keyringSource());
        assertHoldsTheTestKey(settings.keyring());
    }

    @Test
    void aKeyringFileThatDoesNotExistIsRefusedWithItsResolvedPath() {
        ActionException e = rejected("system-packages", "libmariadb3", "system-packages-keyring", "keys/../archive.gpg");
        assertEquals("Invalid input: system-packages-keyring", e.title());
        assertEquals("Input 'system-packages-keyring' is 'keys/../archive.gpg', but there is no such file ("
                + workspace.resolve("archive.gpg") + ")." + KEYRING_FIX, e.getMessage());
    }

    @Test
    void aDirectoryIsNoKeyring() throws IOException {
        Files.createDirectories(workspace.resolve("keys"));
        assertEquals("Input 'system-packages-keyring' is 'keys', but " + workspace.resolve("keys") + " is not a file."
                + KEYRING_FIX, rejected("system-packages", "libmariadb3", "system-packages-keyring", "keys")
                .getMessage());
    }

    @Test
    void aKeyringFileOutsideTheWorkspaceIsRefused() {
        ActionException e = rejected("system-packages", "libmariadb3", "system-packages-keyring", "../archive.gpg");
        assertEquals("Invalid input: system-packages-keyring", e.title());
        assertEquals("Input 'system-packages-keyring': '../archive.gpg' leads outside the workspace (" + workspace
                + "); name a file of the repository, relative to the workspace, or give the armoured key block itself.",
                e.getMessage());
    }

    @Test
    void aKeyringFileWithoutAPublicKeyIsRefused() throws IOException {
        Files.write(workspace.resolve("empty.gpg"), new byte[0]);
        ActionException e = rejected("system-packages", "libmariadb3", "system-packages-keyring", "empty.gpg");
        assertEquals("Invalid input: system-packages-keyring", e.title());
        assertEquals("Input 'system-packages-keyring' is 'empty.gpg', but it holds no OpenPGP public key."
                + KEYRING_FIX, e.getMessage());
    }

    @Test
    void aTextFileIsNoKeyring() throws IOException {
        Files.writeString(workspace.resolve("archive.gpg"), "not a key\n");
        assertEquals("Input 'system-packages-keyring' is 'archive.gpg', but it holds no OpenPGP public key."
                + KEYRING_FIX, rejected("system-packages", "libmariadb3", "system-packages-keyring", "archive.gpg")
                .getMessage());
    }

    @Test
    void aSignatureFileIsNoKeyring() throws IOException {
        Files.write(workspace.resolve("Release.gpg"), KEY.detachedSignature(RELEASE.getBytes(StandardCharsets.UTF_8)));
        assertEquals("Input 'system-packages-keyring' is 'Release.gpg', but it is not an OpenPGP public keyring"
                + " (org.bouncycastle.openpgp.PGPSignatureList found where PGPPublicKeyRing expected)." + KEYRING_FIX,
                rejected("system-packages", "libmariadb3", "system-packages-keyring", "Release.gpg").getMessage());
    }

    @Test
    void aKeyBlockWithoutAKeyIsRefusedWithoutEchoingIt() {
        String block = "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n-----END PGP PUBLIC KEY BLOCK-----\n";
        ActionException e = rejected("system-packages", "libmariadb3", "system-packages-keyring", block);
        assertEquals("Invalid input: system-packages-keyring", e.title());
        assertEquals("Input 'system-packages-keyring' is the key block given, but it is not an OpenPGP public keyring"
                + " (invalid armor)." + KEYRING_FIX, e.getMessage());
    }

    @Test
    void anArmouredBlockOfSomethingElseIsRefusedWithoutEchoingIt() throws IOException {
        String block = armoured("not a key".getBytes(StandardCharsets.US_ASCII));
        assertEquals("Input 'system-packages-keyring' is the key block given, but it is not an OpenPGP public keyring"
                + " (invalid header encountered)." + KEYRING_FIX,
                rejected("system-packages", "libmariadb3", "system-packages-keyring", block).getMessage());
    }

    @Test
    void aMultiLineValueThatIsNeitherAPathNorAKeyBlockIsRefused() {
        ActionException e = rejected("system-packages", "libmariadb3", "system-packages-keyring",
                "mQINBGPL0BUBEADmW5NdOOHwPIJlgPu6JDcKw/NZJPR8\nlWFCkq3MVcnbQ");
        assertEquals("Invalid input: system-packages-keyring", e.title());
        assertEquals("Input 'system-packages-keyring' is a multi-line value that is neither the path of a file nor an"
                + " armoured key block (-----BEGIN PGP PUBLIC KEY BLOCK-----)." + KEYRING_FIX, e.getMessage());
    }

    @Test
    void theLockIsResolvedInTheWorkspaceAndNeedNotExistYet() {
        assertEquals(Optional.of(new SystemPackagesSettings.Lock("ci/system-packages.lock",
                workspace.resolve("ci/system-packages.lock"))), settings("system-packages", "libmariadb3",
                "system-packages-lock", " ci/system-packages.lock ").lock());
    }

    @Test
    void aLockOutsideTheWorkspaceIsRefused() {
        ActionException e = rejected("system-packages", "libmariadb3", "system-packages-lock", "/tmp/system.lock");
        assertEquals("Invalid input: system-packages-lock", e.title());
        assertEquals("Input 'system-packages-lock': '/tmp/system.lock' leads outside the workspace (" + workspace
                + "); name a file of the repository, relative to the workspace.", e.getMessage());
    }

    @Test
    void aLockOfSeveralLinesIsRefused() {
        ActionException e = rejected("system-packages", "libmariadb3", "system-packages-lock", "a.lock\nb.lock");
        assertEquals("Invalid input: system-packages-lock", e.title());
        assertEquals("Input 'system-packages-lock' is a multi-line value, but it must be one path of a file in the"
                + " repository, such as system-packages.lock" + WITH.formatted("system-packages-lock"), e.getMessage());
    }

    @Test
    void aSourceWithoutPackagesIsRefused() {
        ActionException e = rejected("system-packages-sources", "deb http://deb.debian.org/debian bookworm main");
        assertEquals("Invalid input: system-packages-sources", e.title());
        assertEquals("Input 'system-packages-sources' has no effect without system-packages. Set system-packages to"
                + " the Debian packages to add, or remove it.", e.getMessage());
    }

    @Test
    void aKeyringWithoutPackagesIsRefused() {
        ActionException e = rejected("system-packages", " , ", "system-packages-keyring", "keys/archive.gpg");
        assertEquals("Invalid input: system-packages-keyring", e.title());
        assertEquals("Input 'system-packages-keyring' has no effect without system-packages. Set system-packages to"
                + " the Debian packages to add, or remove it.", e.getMessage());
    }

    @Test
    void aLockWithoutPackagesIsRefused() {
        ActionException e = rejected("system-packages-lock", "system-packages.lock");
        assertEquals("Invalid input: system-packages-lock", e.title());
        assertEquals("Input 'system-packages-lock' has no effect without system-packages. Set system-packages to the"
                + " Debian packages to add, or remove it.", e.getMessage());
    }

    @Test
    void allThreeWithoutPackagesAreNamedTogether() {
        ActionException e = rejected("system-packages-sources", "deb http://deb.debian.org/debian bookworm main",
                "system-packages-keyring", "keys/archive.gpg", "system-packages-lock", "system-packages.lock");
        assertEquals("Invalid input: system-packages-sources", e.title());
        assertEquals("Inputs 'system-packages-sources', 'system-packages-keyring' and 'system-packages-lock' have no"
                + " effect without system-packages. Set system-packages to the Debian packages to add, or remove them.",
                e.getMessage());
    }
}
