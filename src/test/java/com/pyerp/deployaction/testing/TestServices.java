package com.pyerp.deployaction.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * The real servers that {@code scripts/test-services start} runs on loopback, as described by its
 * {@code services.env}. When one is missing, a test skips on a developer's machine but fails under CI.
 */
public final class TestServices {

    public static final Path DIRECTORY = Path.of(System.getProperty("services.dir", "/var/tmp/pyerp-test-services"));

    private final Map<String, String> values;

    private TestServices(Map<String, String> values) {
        this.values = values;
    }

    /**
     * The services, after checking that each named endpoint answers: {@code REGISTRY}, {@code TLS_REGISTRY},
     * {@code SSH}, {@code FRESH_SSH} (the fresh Debian server for setup-server) or {@code DEBIAN_MIRROR} (the
     * loopback Debian mirror).
     */
    public static TestServices require(String... endpointKeys) {
        return require(DIRECTORY, "true".equals(System.getenv("CI")), endpointKeys);
    }

    static TestServices require(Path directory, boolean ci, String... endpointKeys) {
        Path file = directory.resolve("services.env");
        if (!Files.isRegularFile(file)) {
            return missing(ci, file + " does not exist");
        }
        Map<String, String> values = read(file);
        if (values.containsKey("SSH_HOST")) {
            values.put("SSH", values.get("SSH_HOST") + ":" + values.get("SSH_PORT"));
        }
        if (values.containsKey("FRESH_SSH_HOST")) {
            values.put("FRESH_SSH", values.get("FRESH_SSH_HOST") + ":" + values.get("FRESH_SSH_PORT"));
        }
        TestServices services = new TestServices(values);
        for (String key : endpointKeys) {
            String endpoint = services.values.get(key);
            if (endpoint == null) {
                return missing(ci, "services.env has no " + key);
            }
            int colon = endpoint.lastIndexOf(':');
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(endpoint.substring(0, colon),
                        Integer.parseInt(endpoint.substring(colon + 1))), 2000);
            } catch (IOException e) {
                return missing(ci, key + " at " + endpoint + " does not answer (" + e.getMessage() + ")");
            }
        }
        return services;
    }

    public String get(String key) {
        String value = values.get(key);
        if (value == null || value.isEmpty()) {
            fail("services.env has no " + key + "; rerun scripts/test-services start");
        }
        return value;
    }

    /**
     * Makes the fresh server pristine again, unless nobody has logged in since it last was: a test that provisions
     * it, or needs it untouched, calls this first.
     */
    public void restoreFreshServer() throws IOException, InterruptedException {
        Path script = Path.of(System.getProperty("basedir", "."), "scripts", "test-services");
        Processes.Result result = Processes.run(java.util.List.of(script.toString(), "fresh-server"),
                Map.of("PYERP_SERVICES_DIR", DIRECTORY.toString()));
        if (result.exitCode() != 0) {
            fail(script + " fresh-server failed: " + result.output());
        }
    }

    /** The loopback Debian mirror's root URL, with {@code debian/} and {@code debian-security/} below it. */
    public URI debianMirrorUrl() {
        return URI.create(get("DEBIAN_MIRROR_URL"));
    }

    /** The mirror's access log (nginx): one line per request, {@code ADDR [TIME] "GET /path HTTP/1.1" STATUS BYTES "AGENT"}. */
    public Path debianMirrorAccessLog() {
        return Path.of(get("DEBIAN_MIRROR_ACCESS_LOG"));
    }

    /** Debian's archive keyring, which the mirror's {@code InRelease} files are signed for. */
    public Path debianKeyring() {
        return Path.of(get("DEBIAN_KEYRING"));
    }

    /**
     * apt's own configuration for the mirror's suites (lists, no /etc/apt), so that a test can ask apt itself
     * ({@code apt-get -s install}) what it would install.
     */
    public Path debianMirrorAptConfig() {
        return Path.of(get("DEBIAN_MIRROR_APT_CONFIG"));
    }

    /** The python3-only Debian 12 base image in the plain registry, {@code 127.0.0.1:5000/base/python:3.11-bookworm}. */
    public String pythonBaseImage() {
        return get("PYTHON_BASE_IMAGE");
    }

    public String registryPassword() throws IOException {
        return Files.readString(Path.of(get("TLS_REGISTRY_PASSWORD_FILE"))).trim();
    }

    private static TestServices missing(boolean ci, String why) {
        String message = "Test server missing: " + why + ". Start them with scripts/test-services start.";
        if (ci) {
            fail(message + " Integration tests never skip under CI.");
        }
        Assumptions.abort(message);
        return null;
    }

    private static Map<String, String> read(Path file) {
        Map<String, String> values = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                int equals = line.indexOf('=');
                if (equals > 0 && !line.startsWith("#")) {
                    values.put(line.substring(0, equals).trim(), line.substring(equals + 1).trim());
                }
            }
        } catch (IOException e) {
            fail("cannot read " + file + ": " + e.getMessage());
        }
        return values;
    }
}
