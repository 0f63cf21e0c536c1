package com.pyerp.deployaction.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import com.pyerp.deployaction.testing.Processes;
import com.pyerp.deployaction.testing.TestServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ProxyPlan#ADD_SERVER}, the step that gives Caddy's admin API the server for the deploys, run against Debian's
 * Caddy (installed by {@code scripts/test-services} for its web-proxy) as {@code caddy-api.service} runs it:
 * {@code caddy run --resume}, with the default admin address. So that this Caddy meets no other, it runs in a network
 * namespace of its own, where it may listen on :443 too.
 */
class ProxyServerScriptIT {

    /**
     * {@code sh -c DRIVER driver DIR}: starts Caddy with nothing saved, runs add-server (DIR/add-server.sh) on it, then
     * on each configuration below loaded in turn, and prints each case's exit status and configuration afterwards.
     */
    private static final String DRIVER = """
            set -u
            ip link set lo up
            export HOME=$1/home XDG_DATA_HOME=$1/data XDG_CONFIG_HOME=$1/config
            admin=http://127.0.0.1:2019
            caddy run --resume >"$1/caddy.log" 2>&1 &
            caddy=$!
            trap 'kill $caddy; wait $caddy' EXIT
            add() {
              printf '{"listen":[":443"]}' | sh "$1/add-server.sh" "$admin" pyerp >/dev/null 2>&1
              echo "@@case $2 $?"
              curl -sS --noproxy '*' "$admin/config/"
              echo
            }
            add "$1" nothing-saved
            add "$1" again
            for config in '{"admin":{"listen":"localhost:2019"}}' '{"apps":{"tls":{}}}' \\
                '{"apps":{"http":{"http_port":80}}}' \\
                '{"apps":{"http":{"servers":{"srv0":{"listen":[":80"],"routes":[{"handle":[{"handler":"file_server"}]}]}}}}}' \\
                '{"apps":{"http":{"servers":{"pyerp":{"listen":["127.0.0.1:18680"]}}}}}'; do
              printf '%s' "$config" | curl -fsS --noproxy '*' -X POST -H 'Content-Type: application/json' \\
                --data-binary @- "$admin/load" || exit 1
              add "$1" "$config"
            done
            """;

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void theServerIsAddedWhereverTheConfigurationEndsAndNeverReplacesAnything() throws Exception {
        TestServices.require("WEB_PROXY");
        Files.writeString(dir.resolve("add-server.sh"), ProxyPlan.ADD_SERVER);
        Processes.Result result = Processes.run("unshare", "--net", "sh", "-c", DRIVER, "driver", dir.toString());
        assertEquals(0, result.exitCode(), result.output() + Files.readString(dir.resolve("caddy.log")));
        Map<String, JsonNode> cases = new LinkedHashMap<>();
        String name = null;
        for (String line : result.output().split("\n")) {
            if (line.startsWith("@@case ")) {
                name = line.substring(7);
            } else if (name != null && !line.isBlank()) {
                cases.put(name, JSON.readTree(line));
            }
        }
        String server = "{\"listen\":[\":443\"]}";
        String ours = "{\"pyerp\":" + server + "}";
        assertEquals(List.of(
                "nothing-saved 0", "again 0",
                "{\"admin\":{\"listen\":\"localhost:2019\"}} 0",
                "{\"apps\":{\"tls\":{}}} 0",
                "{\"apps\":{\"http\":{\"http_port\":80}}} 0",
                "{\"apps\":{\"http\":{\"servers\":{\"srv0\":{\"listen\":[\":80\"],\"routes\":[{\"handle\":[{\"handler\":"
                        + "\"file_server\"}]}]}}}}} 0",
                "{\"apps\":{\"http\":{\"servers\":{\"pyerp\":{\"listen\":[\"127.0.0.1:18680\"]}}}}} 0"),
                List.copyOf(cases.keySet()), result.output());
        assertEquals(json("{\"apps\":{\"http\":{\"servers\":" + ours + "}}}"), cases.get("nothing-saved 0"));
        assertEquals(cases.get("nothing-saved 0"), cases.get("again 0"));
        List<JsonNode> after = List.copyOf(cases.values()).subList(2, 7);
        assertEquals(List.of(
                json("{\"admin\":{\"listen\":\"localhost:2019\"},\"apps\":{\"http\":{\"servers\":" + ours + "}}}"),
                json("{\"apps\":{\"tls\":{},\"http\":{\"servers\":" + ours + "}}}"),
                json("{\"apps\":{\"http\":{\"http_port\":80,\"servers\":" + ours + "}}}"),
                json("{\"apps\":{\"http\":{\"servers\":{\"srv0\":{\"listen\":[\":80\"],\"routes\":[{\"handle\":[{\"handler\":"
                        + "\"file_server\"}]}]},\"pyerp\":" + server + "}}}}"),
                json("{\"apps\":{\"http\":{\"servers\":{\"pyerp\":{\"listen\":[\"127.0.0.1:18680\"]}}}}}")), after);
    }

    /** Objects compare without regard to the order of their keys. */
    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }
}
