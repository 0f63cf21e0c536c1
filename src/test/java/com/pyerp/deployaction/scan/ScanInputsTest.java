package com.pyerp.deployaction.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pyerp.deployaction.Main;
import com.pyerp.deployaction.testing.RunnerEnv;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each bad scan input is one ::error:: line naming the input and the fix, before anything is built. */
class ScanInputsTest {

    @TempDir
    Path dir;

    private String run(String... inputs) throws IOException {
        Files.createDirectories(dir.resolve("src"));
        Files.writeString(dir.resolve("src/app.py"), "print('hi')\n");
        Map<String, String> env = RunnerEnv.pushToMain(dir);
        // Nothing listens there: a build that started would fail differently.
        env.put("INPUT_IMAGES", "127.0.0.1:1/pyerp");
        env.put("INPUT_BASE-IMAGE", "127.0.0.1:1/base:1");
        env.put("INPUT_LAYERS", "src:/app");
        env.put("INPUT_DEPLOY", "false");
        env.put("INPUT_SCAN", "true");
        RunnerEnv.with(env, inputs);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        assertEquals(1, Main.run(new String[0], env, print, print, dir));
        String log = out.toString(StandardCharsets.UTF_8);
        List<String> errors = log.lines().filter(line -> line.startsWith("::error")).toList();
        assertEquals(1, errors.size(), log);
        assertFalse(log.contains("Build and push"), "validated before the build: " + log);
        assertFalse(log.contains("\tat "), "no stack trace: " + log);
        return errors.get(0);
    }

    @Test
    void unknownSeverity() throws IOException {
        assertEquals("::error title=Invalid input%3A scan-severity::Input 'scan-severity' is 'SEVERE', but it must be one of"
                + " LOW, MEDIUM, HIGH, CRITICAL. Set it in the step's 'with:' block (or pass --scan-severity=VALUE on the"
                + " command line).", run("INPUT_SCAN-SEVERITY", "SEVERE"));
    }

    @Test
    void unreadableIgnoreFile() throws IOException {
        assertEquals("::error title=Invalid input%3A scan-ignore::Input 'scan-ignore' names the file '.trivyignore', which"
                + " cannot be read (it does not exist). Commit the .trivyignore-style file at that path (relative to the"
                + " workspace), or list the vulnerability ids themselves, separated by commas or newlines.",
                run("INPUT_SCAN-IGNORE", ".trivyignore"));
    }

    @Test
    void anIgnoreFileOutsideTheWorkspace() throws IOException {
        String error = run("INPUT_SCAN-IGNORE", "../../../../etc/passwd");
        assertTrue(error.startsWith("::error title=Invalid input%3A scan-ignore::Input 'scan-ignore': '../../../../etc/passwd'"
                + " leads outside the workspace ("), error);
    }

    @Test
    void badExpiryDateInTheIgnoreFile() throws IOException {
        Files.writeString(dir.resolve(".trivyignore"), "CVE-2024-1\nCVE-2024-2 exp:someday\n");
        assertEquals("::error title=Invalid input%3A scan-ignore::The ignore file '.trivyignore' has a bad line 2:"
                + " 'exp:someday' is not an expiry date; write exp:YYYY-MM-DD.", run("INPUT_SCAN-IGNORE", ".trivyignore"));
    }

    @Test
    void somethingThatIsNeitherAnIdNorAFile() throws IOException {
        assertEquals("::error title=Invalid input%3A scan-ignore::Input 'scan-ignore' holds 'all of them', which is neither a"
                + " vulnerability id (such as CVE-2024-1234, GHSA-xxxx-xxxx-xxxx, DSA-5000-1) nor a readable file. List ids"
                + " separated by commas or newlines, or name one .trivyignore-style file.",
                run("INPUT_SCAN-IGNORE", "CVE-2024-1, all of them"));
    }

    @Test
    void offlineDatabaseThatDoesNotExist() throws IOException {
        assertEquals("::error title=Invalid input%3A scan-db::Input 'scan-db' is 'osv-cache', but that path does not exist."
                + " Point it at OSV's per-ecosystem all.zip files (for example osv/Debian/all.zip and osv/PyPI/all.zip,"
                + " restored by actions/cache), or leave it empty to use the OSV API only.", run("INPUT_SCAN-DB", "osv-cache"));
    }

    @Test
    void offlineDatabaseWithoutZips() throws IOException {
        Files.createDirectories(dir.resolve("osv"));
        assertEquals("::error title=Invalid input%3A scan-db::Input 'scan-db' is 'osv', but it holds no OSV export (*.zip)."
                + " Point it at OSV's per-ecosystem all.zip files (for example osv/Debian/all.zip and osv/PyPI/all.zip,"
                + " restored by actions/cache), or leave it empty to use the OSV API only.", run("INPUT_SCAN-DB", "osv"));
    }

    @Test
    void scanBeforePushWithTwoPlatforms() throws IOException {
        assertEquals("::error title=Invalid input%3A scan-before-push::scan-before-push builds the image to a local tar first,"
                + " and a tar holds one platform, but platforms lists 2. Set scan-before-push: false (the pushed image is then"
                + " scanned for the runner's platform), or build one platform.",
                run("INPUT_SCAN-BEFORE-PUSH", "true", "INPUT_PLATFORMS", "linux/amd64,linux/arm64"));
    }

    @ParameterizedTest
    @CsvSource({"api.osv.dev", "ftp://api.osv.dev", "https://"})
    void apiUrlThatIsNotHttp(String url) throws IOException {
        assertEquals("::error title=Invalid input%3A scan-api-url::Input 'scan-api-url' is '" + url + "', but it must be an"
                + " http(s) URL such as https://api.osv.dev. Set it in the step's 'with:' block (or pass --scan-api-url=VALUE"
                + " on the command line).", run("INPUT_SCAN-API-URL", url));
    }
}
