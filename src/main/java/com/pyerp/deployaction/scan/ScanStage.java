package com.pyerp.deployaction.scan;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.action.LocalCache;
import com.pyerp.deployaction.action.Markdown;
import com.pyerp.deployaction.action.Output;
import com.pyerp.deployaction.action.RunnerTemp;
import com.pyerp.deployaction.action.Workflow;
import com.pyerp.deployaction.action.Workspace;
import com.pyerp.deployaction.config.ScanSettings;
import com.pyerp.deployaction.imagefs.ImageReader;
import com.pyerp.deployaction.imagefs.ImageSource;
import com.pyerp.deployaction.scan.inventory.Inventory;
import com.pyerp.deployaction.scan.inventory.Package;
import com.pyerp.deployaction.scan.osv.Finding;
import com.pyerp.deployaction.scan.osv.Matcher;
import com.pyerp.deployaction.scan.osv.OfflineOsv;
import com.pyerp.deployaction.scan.osv.OnlineOsv;
import com.pyerp.deployaction.scan.osv.OsvRecord;
import com.pyerp.deployaction.scan.osv.OsvSource;
import com.pyerp.deployaction.scan.report.CycloneDxReport;
import com.pyerp.deployaction.scan.report.SarifReport;
import com.pyerp.deployaction.scan.report.ScanTable;
import com.pyerp.deployaction.scan.report.ScannedImage;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The scan stage: the image's inventory, OSV matching (the API, falling back to the offline export with a
 * warning), one gate for the exit code, the table and the SARIF, and the SBOM and SARIF outputs.
 */
public final class ScanStage {

    /** Everything checked before any stage runs. */
    public record Plan(Gate gate, URI api, Optional<Path> database, String sarifLocation) {}

    private static final String TOOL_VERSION = Optional.ofNullable(ScanStage.class.getPackage().getImplementationVersion())
            .orElse("dev");

    private final Workflow workflow;
    private final Map<String, String> env;
    private final Workspace workspace;
    private final Clock clock;

    public ScanStage(Workflow workflow, Map<String, String> env, Workspace workspace, Clock clock) {
        this.workflow = workflow;
        this.env = env;
        this.workspace = workspace;
        this.clock = clock;
    }

    /** Checks the ignore list and the offline export; nothing is read from the network. */
    public Plan plan(ScanSettings settings) {
        Gate gate = new Gate(settings.threshold(), settings.ignoreUnfixed(), ignoreList(settings.ignore()));
        Optional<Path> database = settings.database().map(ScanStage::database);
        return new Plan(gate, settings.api(), database, settings.sarifLocation());
    }

    private static Path database(ScanSettings.Database given) {
        Path path = given.path();
        List<Path> zips;
        try {
            zips = Files.exists(path) ? OfflineOsv.zips(path) : List.of();
        } catch (IOException e) {
            zips = List.of();
        }
        if (zips.isEmpty()) {
            throw new ActionException("Invalid input: scan-db", "Input 'scan-db' is '" + given.given()
                    + "', but " + (Files.exists(path) ? "it holds no OSV export (*.zip)" : "that path does not exist")
                    + ". Point it at OSV's per-ecosystem all.zip files (for example osv/Debian/all.zip and"
                    + " osv/PyPI/all.zip, restored by actions/cache), or leave it empty to use the OSV API only.");
        }
        return path;
    }

    private IgnoreList ignoreList(List<String> items) {
        if (items.size() == 1 && looksLikeFile(items.get(0))) {
            Path file = workspace.resolve(items.get(0));
            if (!workspace.containsInput(file)) {
                throw new ActionException("Invalid input: scan-ignore", "Input 'scan-ignore': '" + items.get(0) + "' "
                        + workspace.outside() + ".");
            }
            try {
                return IgnoreList.parse(Files.readString(file));
            } catch (IOException e) {
                throw new ActionException("Invalid input: scan-ignore", "Input 'scan-ignore' names the file '" + items.get(0)
                        + "', which cannot be read (" + (Files.exists(file) ? e.getClass().getSimpleName() : "it does not exist")
                        + "). Commit the .trivyignore-style file at that path (relative to the workspace), or list the"
                        + " vulnerability ids themselves, separated by commas or newlines.");
            } catch (IllegalArgumentException e) {
                throw new ActionException("Invalid input: scan-ignore", "The ignore file '" + items.get(0) + "' has a bad "
                        + e.getMessage() + ".");
            }
        }
        for (String item : items) {
            if (!item.matches("[A-Za-z][A-Za-z0-9]*-[A-Za-z0-9._:-]+")) {
                throw new ActionException("Invalid input: scan-ignore", "Input 'scan-ignore' holds '" + item + "', which is"
                        + " neither a vulnerability id (such as CVE-2024-1234, GHSA-xxxx-xxxx-xxxx, DSA-5000-1) nor a"
                        + " readable file. List ids separated by commas or newlines, or name one .trivyignore-style file.");
            }
        }
        return IgnoreList.ofIds(items);
    }

    private static boolean looksLikeFile(String item) {
        return item.contains("/") || item.startsWith(".") || item.endsWith(".txt") || item.endsWith("ignore");
    }

    /** Reads, matches, reports and gates; throws when the gate fails, after the outputs are written. */
    public void run(Plan plan, ImageSource source, ScannedImage image, boolean beforePush) {
        Gate.Outcome[] result = new Gate.Outcome[1];
        workflow.group("Scan " + image.name(), () -> result[0] = scan(plan, source, image));
        Gate.Outcome outcome = result[0];
        if (!outcome.passed()) {
            String ids = outcome.reported().stream().map(Finding::id).distinct().limit(5).collect(Collectors.joining(", "));
            throw new ActionException("Vulnerabilities found", outcome.reported().size() + " vulnerabilit"
                    + (outcome.reported().size() == 1 ? "y" : "ies") + " at or above " + plan.gate().threshold() + " in "
                    + image.name() + " (" + ids + (outcome.reported().size() > 5 ? ", …" : "") + "), so nothing was "
                    + (beforePush ? "pushed or " : "") + "deployed. Upgrade the packages (see the table), or accept a"
                    + " finding with scan-ignore, or raise scan-severity.");
        }
    }

    private Gate.Outcome scan(Plan plan, ImageSource source, ScannedImage image) {
        Inventory inventory;
        try (source) {
            inventory = Inventory.read(source, workflow::info);
        } catch (IOException e) {
            throw new ActionException("Image not readable", "The scanner could not read " + source.description() + " ("
                    + e.getMessage() + "). Nothing was deployed.", e);
        }
        long python = inventory.packages().stream().filter(p -> p.type() == Package.Type.PYPI).count();
        workflow.info(String.format("%s%s: %d OS packages, %d Python distributions; %s of layers read in %.1f s",
                inventory.os().known() ? inventory.os().prettyName().isEmpty() ? inventory.os().distro()
                        : inventory.os().prettyName() : "unknown OS",
                inventory.platform().isEmpty() ? "" : " (" + inventory.platform() + ")",
                inventory.packages().size() - python, python, ImageReader.size(inventory.bytes()),
                inventory.elapsed().toMillis() / 1000.0));
        Map<Matcher.Query, List<OsvRecord>> candidates = candidates(plan, Matcher.queries(inventory.packages(), inventory.os()));
        List<Finding> findings = Matcher.findings(inventory.packages(), inventory.os(), candidates);
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        plan.gate().ignore().expired(today).forEach(entry -> workflow.info("scan-ignore: " + entry.id() + " expired on "
                + entry.expires().orElseThrow() + " and counts again"));
        Gate.Outcome outcome = plan.gate().apply(findings, today);
        report(plan, image, inventory, outcome);
        Path directory = outputDirectory();
        String slug = image.name().replaceAll("[^A-Za-z0-9._-]+", "-");
        Path sbom = directory.resolve(slug + ".cdx.json");
        Path sarif = directory.resolve(slug + ".sarif");
        try {
            Files.createDirectories(directory);
            ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            json.writeValue(sbom.toFile(), CycloneDxReport.of(image, inventory, outcome.reported(), TOOL_VERSION,
                    Instant.now(clock)));
            json.writeValue(sarif.toFile(), SarifReport.of(image, outcome.reported(), TOOL_VERSION));
        } catch (IOException e) {
            throw new ActionException("Scan report not written", "Could not write the SBOM and SARIF to " + directory
                    + " (" + e.getMessage() + ").", e);
        }
        workflow.setOutput(Output.SBOM, sbom.toString());
        workflow.setOutput(Output.SARIF, sarif.toString());
        return outcome;
    }

    private Map<Matcher.Query, List<OsvRecord>> candidates(Plan plan, Set<Matcher.Query> queries) {
        OnlineOsv online = new OnlineOsv(plan.api(), LocalCache.in(env));
        try {
            Map<Matcher.Query, List<OsvRecord>> found = online.candidates(queries);
            workflow.info("matched " + queries.size() + " package(s) against " + online.description());
            return found;
        } catch (OsvSource.Unavailable apiDown) {
            if (plan.database().isEmpty()) {
                throw new ActionException("OSV API unavailable", "The vulnerability database could not be asked: "
                        + apiDown.getMessage() + ". Nothing was deployed. Retry the job, or keep an offline export in"
                        + " scan-db (cached with actions/cache) so that the scan can go on without the API.");
            }
            OfflineOsv offline = new OfflineOsv(plan.database().get());
            workflow.warning("OSV API unavailable", apiDown.getMessage() + "; matched against " + offline.description()
                    + " instead.");
            try {
                return offline.candidates(queries);
            } catch (OsvSource.Unavailable unreadable) {
                throw new ActionException("Offline OSV export unreadable", unreadable.getMessage() + ". Refresh the"
                        + " export in scan-db.");
            }
        }
    }

    private void report(Plan plan, ScannedImage image, Inventory inventory, Gate.Outcome outcome) {
        List<Finding> reported = outcome.reported();
        String totals = ScanTable.totals(reported);
        String leftOut = "at or above " + plan.gate().threshold() + "; left out: " + outcome.belowThreshold()
                + " below the threshold, " + outcome.ignored() + " ignored by scan-ignore"
                + (plan.gate().ignoreUnfixed() ? ", " + outcome.unfixed() + " without a fix" : "");
        workflow.info(image.name() + "@" + image.digest() + " (" + inventory.packages().size() + " packages)");
        workflow.info(totals + ", " + leftOut);
        if (!reported.isEmpty()) {
            ScanTable.text(reported).forEach(workflow::info);
        }
        workflow.summary(Markdown.heading("Vulnerabilities in " + Markdown.code(image.name()))
                + "**" + totals + "**, " + leftOut + ".\n\n" + (reported.isEmpty() ? "" : ScanTable.markdown(reported)));
    }

    private Path outputDirectory() {
        return RunnerTemp.directory(env).resolve("pyerp-scan");
    }
}
