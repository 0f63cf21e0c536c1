package com.pyerp.deployaction.scan.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pyerp.deployaction.scan.inventory.Inventory;
import com.pyerp.deployaction.scan.inventory.Package;
import com.pyerp.deployaction.scan.osv.Finding;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The SBOM: CycloneDX 1.6 JSON with the image as {@code metadata.component}, its OS, every package with its purl,
 * layer and path, and the reported vulnerabilities.
 */
public final class CycloneDxReport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private CycloneDxReport() {}

    public static ObjectNode of(ScannedImage image, Inventory inventory, List<Finding> reported, String toolVersion,
            Instant now) {
        ObjectNode bom = JSON.createObjectNode();
        bom.put("$schema", "http://cyclonedx.org/schema/bom-1.6.schema.json");
        bom.put("bomFormat", "CycloneDX").put("specVersion", "1.6");
        bom.put("serialNumber", "urn:uuid:" + UUID.nameUUIDFromBytes((image.name() + "@" + image.digest())
                .getBytes(StandardCharsets.UTF_8)));
        bom.put("version", 1);
        ObjectNode metadata = bom.putObject("metadata");
        metadata.put("timestamp", now.toString());
        metadata.putObject("tools").putArray("components").addObject().put("type", "application")
                .put("name", SarifReport.TOOL).put("version", toolVersion);
        metadata.putObject("component").put("type", "container").put("bom-ref", image.purl()).put("name", image.name())
                .put("version", image.digest()).put("purl", image.purl());
        ArrayNode components = bom.putArray("components");
        if (inventory.os().known()) {
            components.addObject().put("type", "operating-system").put("bom-ref", "os:" + inventory.os().distro())
                    .put("name", inventory.os().id()).put("version", inventory.os().versionId())
                    .put("description", inventory.os().prettyName());
        }
        Map<Package, String> refs = new HashMap<>();
        Set<String> used = new HashSet<>();
        for (Package pkg : inventory.packages()) {
            String ref = pkg.purl();
            for (int n = 2; !used.add(ref); n++) {
                ref = pkg.purl() + "#" + n;
            }
            refs.put(pkg, ref);
            ObjectNode component = components.addObject();
            component.put("type", "library").put("bom-ref", ref).put("name", pkg.name()).put("version", pkg.version())
                    .put("purl", pkg.purl());
            ArrayNode properties = component.putArray("properties");
            property(properties, "pyerp:package:type", pkg.type().purlType());
            property(properties, "pyerp:layer:diff_id", pkg.layer());
            property(properties, "pyerp:location:path", "/" + pkg.path());
            if (!pkg.sourceName().equals(pkg.name())) {
                property(properties, "pyerp:package:source", pkg.sourceName() + " " + pkg.sourceVersion());
            }
        }
        ArrayNode vulnerabilities = bom.putArray("vulnerabilities");
        for (Finding finding : reported) {
            ObjectNode vulnerability = vulnerabilities.addObject();
            vulnerability.put("id", finding.id());
            vulnerability.putObject("source").put("name", "OSV").put("url", "https://osv.dev/vulnerability/" + finding.id());
            ObjectNode rating = vulnerability.putArray("ratings").addObject();
            finding.score().ifPresent(score -> rating.put("score", score));
            rating.put("severity", finding.severity().name().toLowerCase(Locale.ROOT));
            rating.put("method", method(finding.vector()));
            if (!finding.vector().isEmpty()) {
                rating.put("vector", finding.vector());
            }
            if (!finding.title().isEmpty()) {
                vulnerability.put("description", finding.title());
            }
            if (!finding.otherIds().isEmpty()) {
                ArrayNode references = vulnerability.putArray("references");
                finding.otherIds().forEach(id -> references.addObject().put("id", id).putObject("source").put("name", "OSV")
                        .put("url", "https://osv.dev/vulnerability/" + id));
            }
            finding.fixed().ifPresent(fixed -> vulnerability.put("recommendation", "Upgrade to " + fixed + " or later."));
            ObjectNode affects = vulnerability.putArray("affects").addObject();
            affects.put("ref", refs.get(finding.pkg()));
        }
        return bom;
    }

    private static void property(ArrayNode properties, String name, String value) {
        properties.addObject().put("name", name).put("value", value);
    }

    private static String method(String vector) {
        if (vector.startsWith("CVSS:3.1")) {
            return "CVSSv31";
        }
        if (vector.startsWith("CVSS:3")) {
            return "CVSSv3";
        }
        if (vector.startsWith("CVSS:4")) {
            return "CVSSv4";
        }
        return vector.isEmpty() ? "other" : "CVSSv2";
    }
}
