package com.pyerp.deployaction.config;

import com.pyerp.deployaction.action.Workspace;
import com.pyerp.deployaction.results.Severity;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The scan inputs: the gate (threshold, unfixed, ignored ids or an ignore file), where OSV is asked, the offline
 * export, and the file code scanning shows the findings on.
 *
 * @param ignore ids, or one path of a .trivyignore-style file, as given (the scan stage reads the file)
 * @param database the {@code scan-db} path as given and resolved against the workspace
 * @param sarifLocation the build file, else the workflow file
 */
public record ScanSettings(Severity threshold, boolean ignoreUnfixed, List<String> ignore, URI api,
        Optional<Database> database, String sarifLocation) {

    /** {@code scan-db}: a directory or zip of OSV's per-ecosystem exports. */
    public record Database(String given, Path path) {}

    /** @param threshold and {@code ignoreUnfixed} are checked up front, with the pipeline's switches */
    static ScanSettings from(Inputs inputs, Severity threshold, boolean ignoreUnfixed, Workspace workspace,
            Map<String, String> env) {
        List<String> ignore = inputs.list(Input.SCAN_IGNORE);
        URI api = api(inputs);
        Optional<Database> database = inputs.isSet(Input.SCAN_DB)
                ? Optional.of(new Database(inputs.string(Input.SCAN_DB), workspace.resolve(inputs.string(Input.SCAN_DB))))
                : Optional.empty();
        String location = inputs.isSet(Input.BUILD_FILE) ? inputs.string(Input.BUILD_FILE).replaceFirst("^\\./", "")
                : workflowFile(env);
        return new ScanSettings(threshold, ignoreUnfixed, ignore, api, database, location);
    }

    private static URI api(Inputs inputs) {
        URI api;
        try {
            api = new URI(inputs.string(Input.SCAN_API_URL));
        } catch (URISyntaxException e) {
            throw inputs.invalid(Input.SCAN_API_URL, "an http(s) URL such as https://api.osv.dev");
        }
        if (api.getScheme() == null || !Set.of("http", "https").contains(api.getScheme().toLowerCase(Locale.ROOT))
                || api.getHost() == null) {
            throw inputs.invalid(Input.SCAN_API_URL, "an http(s) URL such as https://api.osv.dev");
        }
        return api;
    }

    private static String workflowFile(Map<String, String> env) {
        String workflowRef = env.getOrDefault("GITHUB_WORKFLOW_REF", "");
        int workflows = workflowRef.indexOf("/.github/workflows/");
        if (workflows >= 0) {
            String file = workflowRef.substring(workflows + 1);
            return file.contains("@") ? file.substring(0, file.indexOf('@')) : file;
        }
        return "action.yml";
    }
}
