package com.pyerp.deployaction.scan.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pyerp.deployaction.results.Severity;
import com.pyerp.deployaction.scan.inventory.Package;
import com.pyerp.deployaction.scan.osv.Finding;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * SARIF 2.1.0 as github/codeql-action/upload-sarif takes it: one rule per vulnerability id (stable between runs),
 * {@code security-severity} from the CVSS score, a result per affected package located on the build file with the
 * in-image path as a logical location, our own {@code primaryLocationLineHash} (every result sits on the same line,
 * so a hash of that line would merge them), and the image as the run's category.
 */
public final class SarifReport {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String TOOL = "pyerp-deploy-action";

    private SarifReport() {}

    public static ObjectNode of(ScannedImage image, List<Finding> reported, String toolVersion) {
        ObjectNode sarif = JSON.createObjectNode();
        sarif.put("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
        sarif.put("version", "2.1.0");
        ObjectNode run = sarif.putArray("runs").addObject();
        ObjectNode driver = run.putObject("tool").putObject("driver");
        driver.put("name", TOOL).put("version", toolVersion).put("informationUri", "https://osv.dev");
        ArrayNode rules = driver.putArray("rules");
        Map<String, Integer> ruleIndex = new LinkedHashMap<>();
        Map<String, Finding> worst = new LinkedHashMap<>();
        for (Finding finding : reported) {
            worst.merge(finding.id(), finding, (a, b) -> securityScore(b) > securityScore(a) ? b : a);
        }
        worst.forEach((id, finding) -> {
            ruleIndex.put(id, rules.size());
            ObjectNode rule = rules.addObject();
            rule.put("id", id);
            rule.put("name", finding.pkg().type() == Package.Type.PYPI ? "LanguageSpecificPackageVulnerability"
                    : "OsPackageVulnerability");
            rule.putObject("shortDescription").put("text", limit(id + ": " + (finding.title().isEmpty() ? "vulnerability in "
                    + finding.pkg().name() : finding.title())));
            rule.putObject("fullDescription").put("text", limit(finding.title().isEmpty() ? id : finding.title()));
            if (!finding.url().isEmpty()) {
                rule.put("helpUri", finding.url());
            }
            rule.putObject("help").put("text", help(finding, false)).put("markdown", help(finding, true));
            rule.putObject("defaultConfiguration").put("level", level(finding.severity()));
            ObjectNode properties = rule.putObject("properties");
            properties.putArray("tags").add("security").add("vulnerability").add(finding.severity().name());
            properties.put("precision", "very-high");
            properties.put("security-severity", String.format(Locale.ROOT, "%.1f", securityScore(finding)));
        });
        run.putObject("automationDetails").put("id", image.category());
        ArrayNode results = run.putArray("results");
        for (Finding finding : reported) {
            ObjectNode result = results.addObject();
            result.put("ruleId", finding.id()).put("ruleIndex", ruleIndex.get(finding.id()));
            result.put("level", level(finding.severity()));
            result.putObject("message").put("text", finding.pkg().name() + " " + finding.pkg().version() + " ("
                    + finding.pkg().purl() + ") in " + image.name() + " is affected by " + finding.id()
                    + finding.fixed().map(fixed -> "; fixed in " + fixed).orElse("; no fixed version yet")
                    + ". Found in /" + finding.pkg().path() + " of layer " + finding.pkg().layer() + ".");
            ObjectNode location = result.putArray("locations").addObject();
            ObjectNode physical = location.putObject("physicalLocation");
            physical.putObject("artifactLocation").put("uri", image.buildFile());
            physical.putObject("region").put("startLine", 1);
            location.putArray("logicalLocations").addObject().put("name", "/" + finding.pkg().path())
                    .put("fullyQualifiedName", image.name() + "@" + image.digest() + ":/" + finding.pkg().path())
                    .put("kind", "resource");
            result.putObject("partialFingerprints").put("primaryLocationLineHash",
                    sha256(image.name() + "|" + versionless(finding.pkg().purl()) + "|" + finding.id()) + ":1");
            result.putObject("properties").put("purl", finding.pkg().purl()).put("installedVersion", finding.pkg().version())
                    .put("fixedVersion", finding.fixed().orElse("")).put("layer", finding.pkg().layer());
        }
        run.putObject("properties").put("imageName", image.name()).put("imageDigest", image.digest());
        return sarif;
    }

    static double securityScore(Finding finding) {
        return finding.score().orElse(finding.severity().representativeScore());
    }

    private static String level(Severity severity) {
        return switch (severity) {
            case CRITICAL, HIGH -> "error";
            case MEDIUM -> "warning";
            default -> "note";
        };
    }

    private static String help(Finding finding, boolean markdown) {
        String fixed = finding.fixed().orElse("none yet");
        if (!markdown) {
            return finding.id() + " " + finding.severity() + "\nPackage: " + finding.pkg().name() + "\nInstalled: "
                    + finding.pkg().version() + "\nFixed: " + fixed + (finding.url().isEmpty() ? "" : "\n" + finding.url());
        }
        return "**" + finding.id() + "** (" + finding.severity() + (finding.otherIds().isEmpty() ? ""
                : "; also " + String.join(", ", finding.otherIds())) + ")\n\n| Package | Installed | Fixed |\n| --- | --- | --- |\n| "
                + finding.pkg().name() + " | " + finding.pkg().version() + " | " + fixed + " |"
                + (finding.url().isEmpty() ? "" : "\n\n" + finding.url());
    }

    private static String limit(String text) {
        return text.length() > 1000 ? text.substring(0, 999) + "…" : text;
    }

    /** The purl without {@code @version}, so that an upgrade that stays vulnerable keeps the alert. */
    static String versionless(String purl) {
        int at = purl.indexOf('@');
        int query = purl.indexOf('?');
        return at < 0 ? purl : purl.substring(0, at) + (query < 0 ? "" : purl.substring(query));
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
