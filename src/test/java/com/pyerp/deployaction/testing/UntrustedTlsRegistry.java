package com.pyerp.deployaction.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Debian's docker-registry on a free loopback port, serving TLS with a fresh self-signed certificate that the test
 * JVM does not trust, as a registry with a stolen or forged certificate would. {@link #requests} tells what got past
 * the TLS handshake; {@link #hasManifest} asks while trusting that one certificate. {@link #close} stops it.
 */
public final class UntrustedTlsRegistry implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path certificate;
    private final Path log;

    private UntrustedTlsRegistry(Process process, int port, Path certificate, Path log) {
        this.process = process;
        this.port = port;
        this.certificate = certificate;
        this.log = log;
    }

    /** Starts one with its certificate, configuration, storage and log in {@code directory}. */
    public static UntrustedTlsRegistry start(Path directory) throws IOException, InterruptedException {
        Path certificate = directory.resolve("registry.crt");
        Path key = directory.resolve("registry.key");
        Processes.Result openssl = Processes.run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key.toString(),
                "-out", certificate.toString());
        if (openssl.exitCode() != 0) {
            throw new IOException("openssl failed: " + openssl.output());
        }
        int port = freePort();
        Path config = Files.writeString(directory.resolve("registry.yml"), """
                version: 0.1
                log:
                  level: info
                storage:
                  filesystem:
                    rootdirectory: %s
                http:
                  addr: 127.0.0.1:%d
                  tls:
                    certificate: %s
                    key: %s
                """.formatted(directory.resolve("data"), port, certificate, key));
        Path log = directory.resolve("registry.log");
        Process process = new ProcessBuilder("/usr/bin/docker-registry", "serve", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        UntrustedTlsRegistry registry = new UntrustedTlsRegistry(process, port, certificate, log);
        registry.awaitListening();
        return registry;
    }

    public String address() {
        return "127.0.0.1:" + port;
    }

    /** The access-log lines of requests the registry received, that is, that got past the TLS handshake. */
    public List<String> requests() throws IOException {
        return Files.readAllLines(log).stream().filter(line -> line.matches(".*\"(GET|HEAD|POST|PUT|PATCH|DELETE) /.*"))
                .toList();
    }

    public boolean hasManifest(String repository, String tag) throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(trustingOnlyThisCertificate()).build();
        HttpResponse<Void> answer = client.send(HttpRequest.newBuilder(URI.create("https://" + address() + "/v2/"
                        + repository + "/manifests/" + tag)).method("HEAD", HttpRequest.BodyPublishers.noBody())
                .header("Accept", "application/vnd.docker.distribution.manifest.v2+json, "
                        + "application/vnd.oci.image.manifest.v1+json").build(), HttpResponse.BodyHandlers.discarding());
        return answer.statusCode() == 200;
    }

    private SSLContext trustingOnlyThisCertificate() throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(certificate)) {
            store.setCertificateEntry("registry", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private void awaitListening() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("docker-registry exited: " + Files.readString(log));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        close();
        throw new IOException("docker-registry did not listen on " + address() + ": " + Files.readString(log));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
