package com.pyerp.deployaction.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pyerp.deployaction.action.RunnerWorkflow;
import com.pyerp.deployaction.config.SetupTarget;
import com.pyerp.deployaction.server.Step.Outcome;
import com.pyerp.deployaction.ssh.CommandResult;
import com.pyerp.deployaction.ssh.OutputListener;
import com.pyerp.deployaction.ssh.RemoteCommand;
import com.pyerp.deployaction.ssh.RemoteShell;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code swarm: init}, planned from the probe, and the join command, whose token only ever appears masked. */
class SwarmPlanTest {

    private static final SetupTarget INIT = new SetupTarget("pyerp", "/srv/erp", "", null, SetupTarget.Proxy.NONE,
            SetupTarget.Swarm.INIT, "");
    private static final SetupTarget NONE = new SetupTarget("pyerp", "/srv/erp", "", null, SetupTarget.Proxy.NONE,
            SetupTarget.Swarm.NONE, "");
    private static final Privilege ROOT = new Privilege(Privilege.Mode.ROOT, "root", "pyerp", "");
    private static final Privilege SUDO = new Privilege(Privilege.Mode.SUDO, "admin", "pyerp", "");
    private static final Privilege APP = new Privilege(Privilege.Mode.NONE, "pyerp", "pyerp", "");
    private static final String RUNNING = "@@pyerp:docker-daemon\n20.10.24+dfsg1\n";
    private static final String ROUTE = "@@pyerp:route-source\n203.0.113.7\n";
    private static final String INACTIVE = SetupPlanTest.PROVISIONED + RUNNING + "@@pyerp:swarm\ninactive false\n" + ROUTE;
    private static final String MANAGER = SetupPlanTest.PROVISIONED + RUNNING
            + "@@pyerp:swarm\nactive true 203.0.113.7 203.0.113.7:2377\n" + ROUTE;
    private static final String WORKER = SetupPlanTest.PROVISIONED + RUNNING
            + "@@pyerp:swarm\nactive false 203.0.113.7 198.51.100.2:2377 198.51.100.3:2377\n" + ROUTE;
    private static final String TOKEN = "SWMTKN-1-3pu6hszjas19xyp7ghgosyx9k8atbfcr8p2is99znpy26u2lkl-1awxwuwd3z9j1z3puu7rcgdbx";

    @TempDir
    Path dir;

    private static Step step(SetupTarget target, String probe, Privilege privilege) {
        List<Step> steps = SetupPlan.plan(target, ServerState.parse(probe), privilege, new byte[0], new byte[0], "s");
        Step swarm = steps.get(steps.size() - 1);
        assertEquals("swarm", swarm.name());
        return swarm;
    }

    private static Optional<String> refusal(String probe) {
        return SwarmPlan.refusal(INIT, ServerState.parse(probe));
    }

    @Test
    void theProbeReadsTheSwarmOnlyForSwarmInit() {
        assertEquals("", ServerState.probe(NONE).get(8));
        assertEquals("swarm", ServerState.probe(INIT).get(8));
        assertEquals(new ServerState.Swarm("active", true, "203.0.113.7", List.of("203.0.113.7:2377"), "203.0.113.7"),
                ServerState.parse(MANAGER).swarm());
        assertEquals(new ServerState.Swarm("inactive", false, "", List.of(), "203.0.113.7"),
                ServerState.parse(INACTIVE).swarm());
        assertEquals(new ServerState.Swarm("", false, "", List.of(), ""), ServerState.parse(SetupPlanTest.FRESH).swarm());
    }

    @Test
    void anInactiveEngineInitsASwarmAdvertisingTheDefaultRoutesAddress() {
        assertEquals(new Step("swarm", Outcome.CREATED, "docker swarm init --advertise-addr 203.0.113.7 (the source"
                + " address of the default route)", List.of(Action.root("sh", "-c", SwarmPlan.INIT, "swarm-init",
                "203.0.113.7"))), step(INIT, INACTIVE, ROOT));
        assertEquals(List.of("sudo", "-n", "--", "sh", "-c", "docker swarm init --advertise-addr \"$1\" >/dev/null",
                "swarm-init", "203.0.113.7"), SUDO.argv(step(INIT, INACTIVE, SUDO).actions().get(0)),
                "its stdout, which has the join token, never leaves the server");
        assertEquals(List.of(Action.app("sh", "-c", SwarmPlan.INIT, "swarm-init", "203.0.113.7")),
                step(INIT, INACTIVE, APP).actions(), "without root, the app user of group docker runs it");
        assertEquals(Optional.empty(), refusal(INACTIVE));
    }

    @Test
    void theGivenAddressWinsAndWithoutARouteTheServersFirstAddressIsAdvertised() {
        SetupTarget given = new SetupTarget("pyerp", "/srv/erp", "", null, SetupTarget.Proxy.NONE, SetupTarget.Swarm.INIT,
                "eth1:4000");
        assertEquals(List.of(Action.root("sh", "-c", SwarmPlan.INIT, "swarm-init", "eth1:4000")),
                step(given, INACTIVE, ROOT).actions());
        Step noRoute = step(INIT, INACTIVE.replace(ROUTE, ""), ROOT);
        assertEquals("docker swarm init --advertise-addr 203.0.113.7 (the first address of `hostname -I`)",
                noRoute.detail());
        String nowhere = INACTIVE.replace(ROUTE, "").replace("203.0.113.7 10.0.0.5 ", "");
        assertTrue(refusal(nowhere).orElseThrow().contains("Set 'swarm-advertise-addr'"), refusal(nowhere).toString());
        assertEquals(Optional.empty(), SwarmPlan.refusal(given, ServerState.parse(nowhere)));
    }

    @Test
    void aManagerIsUnchanged() {
        assertEquals(new Step("swarm", Outcome.UNCHANGED, "a swarm manager, advertising 203.0.113.7", List.of()),
                step(INIT, MANAGER, ROOT));
        assertEquals(Optional.empty(), refusal(MANAGER));
        assertEquals("203.0.113.7:2377", SwarmPlan.joinAddress(ServerState.parse(MANAGER).swarm()));
        assertEquals("[2001:db8::5]:2377", SwarmPlan.joinAddress(new ServerState.Swarm("active", true, "2001:db8::5",
                List.of(), "")));
        assertEquals("10.0.0.5:4000", SwarmPlan.joinAddress(new ServerState.Swarm("active", true, "10.0.0.5",
                List.of("10.0.0.9:2377", "10.0.0.5:4000"), "")));
    }

    @Test
    void aWorkerOrAHalfDoneMembershipIsRefusedNamingTheFix() {
        assertEquals("Docker on it is a worker of another swarm (managers: 198.51.100.2:2377, 198.51.100.3:2377), and"
                + " setup-server does not move a node between swarms. Run setup-server with swarm: init against a"
                + " manager of that swarm, or run `docker swarm leave` on this server first.", refusal(WORKER).orElseThrow());
        assertTrue(refusal(INACTIVE.replace("inactive false", "pending false")).orElseThrow()
                .contains("`docker swarm leave --force`"));
        assertTrue(refusal(INACTIVE.replace("inactive false", "error false")).orElseThrow()
                .contains("Docker reports its swarm state as error"));
        assertTrue(refusal(INACTIVE.replace("inactive false", "locked false")).orElseThrow()
                .contains("`docker swarm unlock`"));
        assertTrue(refusal(INACTIVE.replace("@@pyerp:swarm\ninactive false\n", "")).orElseThrow()
                .contains("named no swarm state"));
        assertEquals(Optional.empty(), SwarmPlan.refusal(NONE, ServerState.parse(WORKER)));
        assertEquals(List.of(), step(INIT, WORKER, ROOT).actions());
    }

    @Test
    void withoutADaemonAndAServiceManagerTheSwarmWaitsForAHand() {
        String fresh = SetupPlanTest.FRESH + ROUTE;
        assertEquals(new Step("swarm", Outcome.SKIPPED, "no Docker daemon runs and there is no service manager to start"
                + " it, so the swarm was not initialised", List.of()), step(INIT, fresh, ROOT));
        assertEquals(Optional.empty(), refusal(fresh));
        String notice = SwarmPlan.notStarted(INIT, ServerState.parse(fresh)).orElseThrow();
        assertTrue(notice.contains("Start dockerd (or its unit, docker.service), then run `docker swarm init"
                + " --advertise-addr 203.0.113.7` on the server, or run setup-server again."), notice);
        assertEquals(Optional.empty(), SwarmPlan.notStarted(INIT, ServerState.parse(INACTIVE)));
        assertEquals(Optional.empty(), SwarmPlan.notStarted(NONE, ServerState.parse(fresh)));

        String systemd = fresh.replace("@@pyerp:service-manager\n\n", "@@pyerp:service-manager\nsystemd\n");
        Step started = step(INIT, systemd, ROOT);
        assertEquals(Outcome.CREATED, started.outcome());
        assertTrue(started.detail().endsWith("once the docker step started the daemon"), started.detail());
        assertEquals(Optional.empty(), SwarmPlan.notStarted(INIT, ServerState.parse(systemd)));
    }

    @Test
    void theJoinTokenIsMaskedBeforeItIsPrintedAndNeverInAnArgvOrTheSummary() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        RunnerWorkflow workflow = new RunnerWorkflow(new PrintStream(log, true, StandardCharsets.UTF_8),
                dir.resolve("output"), dir.resolve("summary"));
        List<RemoteCommand> commands = new ArrayList<>();
        SwarmJoin.print(workflow, shell(commands, new CommandResult(0, TOKEN + "\n", "")), SUDO, "erp1",
                ServerState.parse(MANAGER).swarm());
        workflow.summary("| swarm | unchanged | a swarm manager |\n");
        workflow.finish();

        assertEquals(1, commands.size());
        assertEquals(List.of("sudo", "-n", "--", "docker", "swarm", "join-token", "-q", "worker"), commands.get(0).argv());
        List<String> lines = log.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals("::add-mask::" + TOKEN, lines.get(0), "masked before anything else is printed");
        assertTrue(lines.contains("  docker swarm join --token *** 203.0.113.7:2377"), lines.toString());
        assertTrue(lines.subList(1, lines.size()).stream().noneMatch(line -> line.contains(TOKEN)), lines.toString());
        assertFalse(Files.readString(dir.resolve("summary")).contains(TOKEN));
        assertFalse(Files.exists(dir.resolve("output")) && Files.readString(dir.resolve("output")).contains(TOKEN));
    }

    @Test
    void aFailedTokenReadWarnsAndSaysWhereToReadIt() {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        RunnerWorkflow workflow = new RunnerWorkflow(new PrintStream(log, true, StandardCharsets.UTF_8),
                dir.resolve("output"), dir.resolve("summary"));
        SwarmJoin.print(workflow, shell(new ArrayList<>(), new CommandResult(1, "", "Error response from daemon: This"
                + " node is not a swarm manager.")), ROOT, "erp1", ServerState.parse(MANAGER).swarm());
        String output = log.toString(StandardCharsets.UTF_8);
        assertTrue(output.startsWith("::warning title=No swarm join token::erp1: `docker swarm join-token -q worker`"
                + " failed (Error response from daemon: This node is not a swarm manager.). Run `docker swarm join-token"
                + " worker` on the server"), output);
    }

    private static RemoteShell shell(List<RemoteCommand> commands, CommandResult result) {
        return new RemoteShell() {
            @Override
            public String name() {
                return "erp1";
            }

            @Override
            public CommandResult execute(RemoteCommand command, OutputListener listener) {
                commands.add(command);
                return result;
            }

            @Override
            public void upload(byte[] content, String path, int mode) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void close() {}
        };
    }
}
