package com.pyerp.deployaction.scan.osv;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.pyerp.deployaction.scan.inventory.Package;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * OSV records in the documented schema (ossf/osv-schema 1.6) for packages that are in the pyERP test image
 * (scripts/pyerp-base and scripts/pyerp-deps), with made-up 2099 ids so that nobody mistakes them for real advisories.
 * Served by WireMock as the OSV API does (querybatch answers one id per page, to exercise next_page_token), and
 * packed as per-ecosystem all.zip files.
 */
public final class OsvFixtures {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String MODIFIED = "2099-01-02T03:04:05Z";
    static final String CRITICAL_VECTOR = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";
    static final String HIGH_VECTOR = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N";

    private OsvFixtures() {}

    /** Every record; the comment says what each one tests. */
    public static List<String> records() {
        return List.of(
                // openssl (libssl3 and openssl are built from it), 3.0.22-1~deb12u2 installed: affected, fixable,
                // CRITICAL; the DSA names the same CVE, so the two become one finding per binary package
                record("DEBIAN-CVE-2099-0001", "Buffer overflow in X.509 name checks", "[\"CVE-2099-0001\"]", "[]",
                        CRITICAL_VECTOR, affected("Debian:12", "openssl", "{\"introduced\":\"0\"},{\"fixed\":\"3.0.99-1~deb12u1\"}",
                                "{\"urgency\":\"high\"}")),
                record("DSA-9999-1", "openssl security update", "[\"CVE-2099-0001\"]", "[]", "",
                        affected("Debian:12", "openssl", "{\"fixed\":\"3.0.99-1~deb12u1\"},{\"introduced\":\"0\"}", "{}")),
                // another release's advisory: not for Debian 12
                record("DEBIAN-CVE-2099-0005", "bookworm is not bullseye", "[\"CVE-2099-0005\"]", "[]", CRITICAL_VECTOR,
                        affected("Debian:11", "openssl", "{\"introduced\":\"0\"}", "{}")),
                // zlib1g 1:1.2.13.dfsg-1 is the fixed version: not affected
                record("DEBIAN-CVE-2099-0002", "Fixed in the installed zlib", "[\"CVE-2099-0002\"]", "[]", CRITICAL_VECTOR,
                        affected("Debian:12", "zlib", "{\"introduced\":\"0\"},{\"fixed\":\"1:1.2.13.dfsg-1\"}", "{}")),
                // tzdata: no fix yet, urgency low
                record("DEBIAN-CVE-2099-0003", "Unfixed low-urgency issue", "[\"CVE-2099-0003\"]", "[]", "",
                        affected("Debian:12", "tzdata", "{\"introduced\":\"0\"}", "{\"urgency\":\"low\"}")),
                // Django 3.2.25: HIGH, fixable; GHSA and PYSEC name the same CVE
                record("GHSA-2099-aaaa-bbbb", "Django SQL injection in QuerySet.values()", "[\"CVE-2099-0004\",\"PYSEC-2099-4\"]",
                        "[]", HIGH_VECTOR, affected("PyPI", "django", "{\"introduced\":\"3.2\"},{\"fixed\":\"3.2.99\"}", "{}")),
                record("PYSEC-2099-4", "", "[\"CVE-2099-0004\",\"GHSA-2099-aaaa-bbbb\"]", "[]", "",
                        affected("PyPI", "Django", "{\"introduced\":\"0\"},{\"fixed\":\"3.2.99\"}", "{}")),
                // Pillow 9.4.0 is above the fix: not affected
                record("GHSA-2099-cccc-dddd", "Pillow fixed long ago", "[\"CVE-2099-0006\"]", "[]", CRITICAL_VECTOR,
                        affected("PyPI", "pillow", "{\"introduced\":\"0\"},{\"fixed\":\"9.0.0\"}", "{}")),
                // sqlparse 0.4.2: MEDIUM from GitHub's own word, no CVSS vector
                record("GHSA-2099-eeee-ffff", "sqlparse denial of service", "[\"CVE-2099-0007\"]", "[]", "",
                        affected("PyPI", "sqlparse", "{\"introduced\":\"0\"},{\"fixed\":\"0.5.0\"}", "{}")
                                .replace("\"database_specific\":{}", "\"database_specific\":{\"severity\":\"MODERATE\"}")));
    }

    private static String affected(String ecosystem, String name, String events, String ecosystemSpecific) {
        return "{\"package\":{\"ecosystem\":\"" + ecosystem + "\",\"name\":\"" + name + "\"},\"ranges\":[{\"type\":\"ECOSYSTEM\","
                + "\"events\":[" + events + "]}],\"ecosystem_specific\":" + ecosystemSpecific + ",\"database_specific\":{}}";
    }

    private static String record(String id, String summary, String aliases, String upstream, String vector, String affected) {
        return "{\"schema_version\":\"1.6.0\",\"id\":\"" + id + "\",\"modified\":\"" + MODIFIED + "\",\"published\":\"2099-01-01T00:00:00Z\","
                + "\"summary\":\"" + summary + "\",\"details\":\"Test record.\",\"aliases\":" + aliases + ",\"upstream\":"
                + upstream + (vector.isEmpty() ? "" : ",\"severity\":[{\"type\":\"CVSS_V3\",\"score\":\"" + vector + "\"}]")
                + ",\"affected\":[" + affected + "],\"references\":[{\"type\":\"ADVISORY\",\"url\":\"https://osv.dev/" + id
                + "\"}]}";
    }

    /** OSV's export layout: {@code <ECOSYSTEM>/all.zip} (Debian's holds every release), one {@code <ID>.json} per record. */
    public static Path writeExport(Path directory) throws IOException {
        for (String ecosystem : List.of("Debian", "PyPI")) {
            Path zip = Files.createDirectories(directory.resolve(ecosystem)).resolve("all.zip");
            try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
                for (String record : records()) {
                    JsonNode json = JSON.readTree(record);
                    if (json.path("affected").get(0).path("package").path("ecosystem").asText().startsWith(ecosystem)) {
                        out.putNextEntry(new ZipEntry(json.path("id").asText() + ".json"));
                        out.write(record.getBytes(StandardCharsets.UTF_8));
                        out.closeEntry();
                    }
                }
            }
        }
        return directory;
    }

    /** A started WireMock server answering /v1/querybatch and /v1/vulns/{id} from {@link #records()}. */
    public static WireMockServer api() {
        WireMockServer server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").extensions(new Batch()));
        server.start();
        server.stubFor(post("/v1/querybatch").willReturn(aResponse().withTransformers(Batch.NAME)));
        for (String record : records()) {
            try {
                String id = JSON.readTree(record).path("id").asText();
                server.stubFor(get("/v1/vulns/" + id).willReturn(aResponse().withHeader("Content-Type", "application/json")
                        .withBody(record)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return server;
    }

    /**
     * OSV's batch answer: per query the ids (and modified times) of the records naming that package in that
     * ecosystem, one per page, {@code next_page_token} being the next index. Versions are left to the client's
     * evaluator, like a server that errs on the side of returning too much.
     */
    static final class Batch implements ResponseDefinitionTransformerV2 {
        static final String NAME = "osv-batch";

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            try {
                ObjectNode answer = JSON.createObjectNode();
                ArrayNode results = answer.putArray("results");
                for (JsonNode query : JSON.readTree(event.getRequest().getBodyAsString()).path("queries")) {
                    List<JsonNode> matching = new ArrayList<>();
                    for (String record : records()) {
                        JsonNode json = JSON.readTree(record);
                        for (JsonNode affected : json.path("affected")) {
                            if (affected.path("package").path("ecosystem").asText().equals(query.path("package").path("ecosystem").asText())
                                    && Package.normalizePython(affected.path("package").path("name").asText())
                                            .equals(Package.normalizePython(query.path("package").path("name").asText()))) {
                                matching.add(json);
                            }
                        }
                    }
                    int page = query.path("page_token").asInt(0);
                    ObjectNode result = results.addObject();
                    ArrayNode vulns = result.putArray("vulns");
                    if (page < matching.size()) {
                        vulns.addObject().put("id", matching.get(page).path("id").asText()).put("modified", MODIFIED);
                        if (page + 1 < matching.size()) {
                            result.put("next_page_token", Integer.toString(page + 1));
                        }
                    }
                    if (vulns.isEmpty()) {
                        result.remove("vulns");
                    }
                }
                return ResponseDefinition.okForJson(answer);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String getName() {
            return NAME;
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }
    }

}
