package com.pyerp.deployaction.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.config.ServerFact;
import com.pyerp.deployaction.config.SetupTarget;
import com.pyerp.deployaction.os.OsRelease;
import com.pyerp.deployaction.server.Step.Outcome;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SetupPlanTest {

    private static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJz/QzPF1fPeiqkScS5eePB6R6w0gmNjEkiVet12poN3 deploy@ci";
    private static final SetupTarget.Registry REGISTRY = new SetupTarget.Registry("ghcr.io", "octo", "ghp_token");
    private static final SetupTarget TARGET = new SetupTarget("pyerp", "/srv/erp", KEY, REGISTRY, SetupTarget.Proxy.NONE,
            SetupTarget.Swarm.NONE, "");
    private static final Privilege ROOT = new Privilege(Privilege.Mode.ROOT, "root", "pyerp", "");
    private static final byte[] ENV = "SECRET_KEY=abc\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] SOURCE = "DEBUG=false\n".getBytes(StandardCharsets.UTF_8);

    private static final String OS = "@@pyerp:os-release\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\n"
            + "VERSION_ID=\"12\"\n@@pyerp:hostname\nerp1\n@@pyerp:addresses\n203.0.113.7 10.0.0.5 \n"
            + "@@pyerp:links\n@@pyerp:parent\nroot 755 /srv\n";

    static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A freshly installed Debian 12: nothing of ours. */
    static final String FRESH = OS + "@@pyerp:docker\n\n@@pyerp:compose\n\n@@pyerp:service-manager\n\n"
            + "@@pyerp:docker-service\n\n@@pyerp:docker-group\n\n@@pyerp:user\n\n"
            + "@@pyerp:host-keys\nssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMpKP4aAeKImRSvX9ReLKwbVLIYYBXEhpHyYNnOQSwZP root@erp1\n";

    /** The same server after a setup-server run. */
    static final String PROVISIONED = OS + "@@pyerp:docker\nDocker version 20.10.24+dfsg1, build 297e128\n"
            + "@@pyerp:compose\ndocker-compose version 1.29.2, build unknown\n@@pyerp:service-manager\n\n"
            + "@@pyerp:docker-service\n\n@@pyerp:docker-group\ndocker:x:103:pyerp\n"
            + "@@pyerp:user\npyerp:x:999:999::/home/pyerp:/bin/bash\npyerp\npyerp docker\n"
            + "@@pyerp:file:authorized_keys\npyerp pyerp 600\n" + b64("# keys\n" + KEY + "\n") + "\n"
            + "@@pyerp:file:docker_config\npyerp pyerp 600\n"
            + b64("{\"auths\":{\"ghcr.io\":{\"auth\":\"" + SetupPlan.auth(REGISTRY) + "\"}}}") + "\n"
            + "@@pyerp:dir:/srv/erp\npyerp pyerp 750\n@@pyerp:dir:/srv/erp/releases\npyerp pyerp 750\n"
            + "@@pyerp:dir:/srv/erp/shared\npyerp pyerp 750\n@@pyerp:dir:/srv/erp/backups\npyerp pyerp 750\n"
            + "@@pyerp:dir:/srv/erp/logs\npyerp pyerp 750\n"
            + "@@pyerp:file:env\npyerp pyerp 600\n" + b64("SECRET_KEY=abc\n")
            + "\n@@pyerp:file:env_source\npyerp pyerp 600\n" + b64("DEBUG=false\n")
            + "\n@@pyerp:host-keys\nssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMpKP4aAeKImRSvX9ReLKwbVLIYYBXEhpHyYNnOQSwZP x\n";

    private static final SetupTarget CADDY = new SetupTarget("pyerp", "/srv/erp", KEY, REGISTRY, SetupTarget.Proxy.CADDY,
            SetupTarget.Swarm.NONE, "");
    private static final String SYSTEMD = "@@pyerp:service-manager\nsystemd\n";
    /** The provisioned server with Caddy run from its admin-API unit, holding the server for the deploys. */
    private static final String WITH_CADDY = PROVISIONED + "@@pyerp:caddy\n2.6.2\n@@pyerp:curl\n/usr/bin/curl\n"
            + "@@pyerp:caddy-service\ndisabled inactive\n@@pyerp:caddy-api-service\nenabled active\n"
            + "@@pyerp:caddy-server\n{\"listen\":[\":443\"],\"routes\":[{\"@id\":\"pyerp-deploy-erp\"}]}\n";
    private static final Action APT_UPDATE = Action.root("env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "-o",
            "DPkg::Lock::Timeout=300", "update", "-q");

    private static List<Step> plan(String probe) {
        return SetupPlan.plan(TARGET, ServerState.parse(probe), ROOT, ENV, SOURCE, "20261126T120000Z");
    }

    /** The proxy steps of a plan with {@code proxy: caddy}. */
    private static List<Step> caddy(String probe) {
        List<Step> steps = SetupPlan.plan(CADDY, ServerState.parse(probe), ROOT, ENV, SOURCE, "20261126T120000Z");
        assertEquals(List.of("proxy", "proxy server"), steps.subList(6, 8).stream().map(Step::name).toList());
        return steps.subList(6, 8);
    }

    private static Action aptInstall(String... packages) {
        List<String> argv = new ArrayList<>(List.of("env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "-o",
                "DPkg::Lock::Timeout=300", "install", "-y", "-q", "--no-install-recommends"));
        argv.addAll(List.of(packages));
        return new Action(Action.Who.ROOT, argv, new byte[0]);
    }

    @Test
    void parsesTheProbe() {
        ServerState state = ServerState.parse(PROVISIONED);
        assertEquals(new OsRelease("debian", "12", "", "Debian GNU/Linux 12 (bookworm)"), state.os());
        assertEquals("erp1,203.0.113.7,10.0.0.5", state.facts().value(ServerFact.HOSTS));
        assertEquals(new ServerState.Account("pyerp", "/home/pyerp", "pyerp", List.of("pyerp", "docker")), state.user());
        assertEquals("SECRET_KEY=abc\n", state.file("env").text());
        assertEquals("600", state.file("env").mode());
        assertEquals(5, state.directories().size());
        assertEquals(1, state.hostKeys().size());
        ServerState fresh = ServerState.parse(FRESH);
        assertNull(fresh.user());
        assertFalse(fresh.dockerGroup());
        assertEquals("", fresh.docker());
        assertNull(fresh.file("env"));
    }

    @Test
    void aFreshServerGetsEverything() {
        List<Step> steps = plan(FRESH);
        assertEquals(List.of("app user", "docker", "registry login", "directories", ".env", ".env.source", "proxy",
                "swarm"), steps.stream().map(Step::name).toList());
        assertTrue(steps.subList(0, 6).stream().allMatch(step -> step.outcome() == Outcome.CREATED), steps.toString());
        assertEquals(new Step("proxy", Outcome.SKIPPED, "proxy: none", List.of()), steps.get(6));
        assertEquals(new Step("swarm", Outcome.SKIPPED, "swarm: none", List.of()), steps.get(7));
        assertEquals(List.of(
                Action.root("groupadd", "--system", "docker"),
                Action.root("useradd", "--system", "--create-home", "--home-dir", "/home/pyerp", "--shell", "/bin/bash",
                        "--user-group", "--groups", "docker", "--password", "*", "pyerp"),
                Action.writeFile("/home/pyerp/.ssh/authorized_keys", "600", (KEY + "\n").getBytes(StandardCharsets.UTF_8))),
                steps.get(0).actions());
        assertEquals(List.of(
                Action.root("env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "-o", "DPkg::Lock::Timeout=300", "update",
                        "-q"),
                Action.root("env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "-o", "DPkg::Lock::Timeout=300",
                        "install", "-y", "-q", "--no-install-recommends", "docker.io", "docker-compose")),
                steps.get(1).actions());
        assertTrue(steps.get(1).detail().contains("no service manager"));
        Action login = steps.get(2).actions().get(0);
        assertEquals(List.of("env", "HOME=/home/pyerp", "docker", "login", "ghcr.io", "--username", "octo",
                "--password-stdin"), login.argv());
        assertArrayEquals("ghp_token".getBytes(StandardCharsets.UTF_8), login.stdin());
        assertEquals(List.of(Action.root("install", "-d", "-o", "pyerp", "-g", "pyerp", "-m", "0750", "/srv/erp"),
                Action.app("install", "-d", "-m", "0750", "/srv/erp/releases", "/srv/erp/shared", "/srv/erp/backups",
                        "/srv/erp/logs")), steps.get(3).actions());
        assertEquals(List.of(Action.writeFile("/srv/erp/.env", "600", ENV)), steps.get(4).actions());
        assertEquals(List.of(Action.writeFile("/srv/erp/.env.source", "600", SOURCE)), steps.get(5).actions());
    }

    @Test
    void anAppDirIsTakenOnlyWhenNewOrTheAppUsersAndNeverThroughALink() {
        assertEquals(Optional.empty(), SetupPlan.unsafeAppDir(TARGET, ServerState.parse(FRESH)));
        assertEquals(Optional.empty(), SetupPlan.unsafeAppDir(TARGET, ServerState.parse(PROVISIONED)));
        String link = SetupPlan.unsafeAppDir(TARGET, ServerState.parse(PROVISIONED.replace("@@pyerp:links\n",
                "@@pyerp:links\n/srv/erp/releases\n"))).orElseThrow();
        assertTrue(link.startsWith("/srv/erp/releases is a symbolic link"), link);
        String foreign = SetupPlan.unsafeAppDir(TARGET, ServerState.parse(FRESH + "@@pyerp:dir:/srv/erp\nroot root 755\n"))
                .orElseThrow();
        assertTrue(foreign.startsWith("/srv/erp already exists and belongs to root, not to the app user pyerp."), foreign);
        String foreignInside = SetupPlan.unsafeAppDir(TARGET, ServerState.parse(PROVISIONED.replace(
                "@@pyerp:dir:/srv/erp/logs\npyerp pyerp 750", "@@pyerp:dir:/srv/erp/logs\nroot root 750"))).orElseThrow();
        assertTrue(foreignInside.startsWith("/srv/erp/logs already exists and belongs to root"), foreignInside);
        String parentLink = SetupPlan.unsafeAppDir(TARGET, ServerState.parse(FRESH.replace("@@pyerp:links\n",
                "@@pyerp:links\n/srv\n"))).orElseThrow();
        assertTrue(parentLink.startsWith("/srv is a symbolic link"), parentLink);
        for (String parent : List.of("root 1777 /tmp", "ubuntu 755 /home/ubuntu", "pyerp 770 /home/pyerp", "root 775 /srv", "")) {
            String problem = SetupPlan.unsafeAppDir(TARGET, ServerState.parse(FRESH.replace("root 755 /srv", parent)))
                    .orElseThrow();
            assertTrue(problem.startsWith("app-dir's parent ") && problem.contains("only root"), problem);
        }
    }

    @Test
    void inAParentOfTheAppUsersTheAppUserMakesAppDirItselfNotRoot() {
        ServerState state = ServerState.parse(FRESH.replace("root 755 /srv", "pyerp 755 /home/pyerp"));
        assertEquals(Optional.empty(), SetupPlan.unsafeAppDir(TARGET, state));
        Step directories = SetupPlan.plan(TARGET, state, ROOT, ENV, SOURCE, "s").get(3);
        assertEquals(List.of(Action.app("install", "-d", "-m", "0750", "/srv/erp", "/srv/erp/releases", "/srv/erp/shared",
                "/srv/erp/backups", "/srv/erp/logs")), directories.actions());
    }

    @Test
    void aProvisionedServerIsUnchanged() {
        List<Step> steps = plan(PROVISIONED);
        assertTrue(steps.subList(0, 6).stream().allMatch(step -> step.outcome() == Outcome.UNCHANGED
                && step.actions().isEmpty()), steps.toString());
        assertEquals(Outcome.SKIPPED, steps.get(6).outcome());
    }

    @Test
    void aChangedEnvIsBackedUpThenReplaced() {
        Step env = SetupPlan.plan(TARGET, ServerState.parse(PROVISIONED), ROOT, "SECRET_KEY=new\n".getBytes(
                StandardCharsets.UTF_8), SOURCE, "20261126T120000Z").get(4);
        assertEquals(Outcome.CHANGED, env.outcome());
        assertEquals(List.of(Action.app("cp", "-p", "/srv/erp/.env", "/srv/erp/backups/.env.20261126T120000Z"),
                Action.writeFile("/srv/erp/.env", "600", "SECRET_KEY=new\n".getBytes(StandardCharsets.UTF_8))),
                env.actions());
    }

    @Test
    void onlyWhatIsMissingIsDone() {
        String partial = PROVISIONED.replace("pyerp docker\n", "pyerp\n")
                .replace("@@pyerp:compose\ndocker-compose version 1.29.2, build unknown\n", "@@pyerp:compose\n\n")
                .replace("@@pyerp:dir:/srv/erp/logs\npyerp pyerp 750\n", "")
                .replace("@@pyerp:dir:/srv/erp/shared\npyerp pyerp 750", "@@pyerp:dir:/srv/erp/shared\nroot root 755");
        List<Step> steps = plan(partial);
        assertEquals(List.of(Action.root("usermod", "--append", "--groups", "docker", "pyerp")), steps.get(0).actions());
        assertEquals(Outcome.CHANGED, steps.get(0).outcome());
        assertEquals(Outcome.CHANGED, steps.get(1).outcome());
        assertEquals("docker-compose", steps.get(1).actions().get(1).argv().get(9));
        assertEquals(Outcome.CHANGED, steps.get(3).outcome());
        assertTrue(steps.get(3).detail().contains("/srv/erp/shared, /srv/erp/logs"), steps.get(3).detail());
    }

    @Test
    void withoutEnvFileThereIsNoSourceCopy() {
        Step copy = SetupPlan.plan(TARGET, ServerState.parse(FRESH), ROOT, ENV, new byte[0], "s").get(5);
        assertEquals(new Step(".env.source", Outcome.SKIPPED, "no env-file given", List.of()), copy);
    }

    @Test
    void aNewRegistryTokenLogsInAgain() {
        SetupTarget target = new SetupTarget("pyerp", "/srv/erp", KEY, new SetupTarget.Registry("ghcr.io", "octo", "new"),
                SetupTarget.Proxy.NONE, SetupTarget.Swarm.NONE, "");
        Step step = SetupPlan.plan(target, ServerState.parse(PROVISIONED), ROOT, ENV, SOURCE, "s").get(2);
        assertEquals(Outcome.CHANGED, step.outcome());
        SetupTarget none = new SetupTarget("pyerp", "/srv/erp", KEY, null, SetupTarget.Proxy.NONE, SetupTarget.Swarm.NONE,
                "");
        assertEquals(Outcome.SKIPPED, SetupPlan.plan(none, ServerState.parse(PROVISIONED), ROOT, ENV, SOURCE, "s").get(2)
                .outcome());
    }

    @Test
    void underSystemdDockerIsEnabledAndStarted() {
        String systemd = FRESH.replace("@@pyerp:service-manager\n\n", "@@pyerp:service-manager\nsystemd\n");
        Step docker = plan(systemd).get(1);
        assertEquals(Action.root("systemctl", "enable", "--now", "docker"), docker.actions().get(2));
        String running = PROVISIONED.replace("@@pyerp:service-manager\n\n", "@@pyerp:service-manager\nsystemd\n")
                .replace("@@pyerp:docker-service\n\n", "@@pyerp:docker-service\nenabled\nactive\n");
        assertEquals(Outcome.UNCHANGED, plan(running).get(1).outcome());
    }

    @Test
    void withoutServiceManagerARunningDaemonIsReported() {
        assertTrue(plan(PROVISIONED).get(1).detail().endsWith("no service manager, so the Docker daemon was not started"));
        String running = PROVISIONED.replace("@@pyerp:service-manager", "@@pyerp:docker-daemon\n28.2.2\n@@pyerp:service-manager");
        assertTrue(plan(running).get(1).detail().endsWith("the Docker daemon 28.2.2 is running (no service manager to"
                + " enable it)"), plan(running).get(1).detail());
    }

    @Test
    void keysAreMatchedByTypeAndBlobNotComment() {
        assertTrue(SetupPlan.listsKey("from=\"10.0.0.1\" " + KEY.replace("deploy@ci", "other"), KEY));
        assertFalse(SetupPlan.listsKey("# " + KEY, KEY));
        assertFalse(SetupPlan.listsKey("ssh-ed25519 AAAAother", KEY));
    }

    @Test
    void ubuntuGetsComposeV2AndOtherSystemsAreRefused() {
        assertEquals(List.of("docker.io", "docker-compose-v2"), ServerOs.dockerPackages(OsRelease.parse(
                "ID=ubuntu\nVERSION_ID=\"24.04\"\n")));
        assertEquals(List.of("docker.io", "docker-compose"), ServerOs.dockerPackages(OsRelease.parse(
                "ID=ubuntu\nVERSION_ID=\"20.04\"\n")));
        ActionException e = assertThrows(ActionException.class, () -> ServerOs.requireSupported(OsRelease.parse(
                "NAME=\"Alpine Linux\"\nID=alpine\nPRETTY_NAME=\"Alpine Linux v3.20\"\n"), "erp1"));
        assertEquals("erp1 runs Alpine Linux v3.20 (ID=alpine in /etc/os-release). setup-server supports Debian and"
                + " Ubuntu only; nothing was changed on the server. Provision it by hand or use a Debian or Ubuntu"
                + " server.", e.getMessage());
        assertEquals("an unknown system", OsRelease.parse("").describe());
    }

    @Test
    void withProxyCaddyUnderSystemdCaddyRunsFromItsAdminApiUnitWithTheServerOn443() {
        List<Step> steps = caddy(FRESH.replace("@@pyerp:service-manager\n\n", SYSTEMD));
        assertEquals(Outcome.CREATED, steps.get(0).outcome());
        assertEquals(List.of(APT_UPDATE, aptInstall("caddy", "curl"),
                Action.root("systemctl", "disable", "--now", "caddy.service"),
                Action.root("systemctl", "enable", "--now", "caddy-api.service")), steps.get(0).actions());
        assertEquals("apt-get install caddy curl; systemctl disable --now caddy.service; systemctl enable --now"
                + " caddy-api.service", steps.get(0).detail());
        assertEquals(Outcome.CREATED, steps.get(1).outcome());
        Action add = steps.get(1).actions().get(0);
        assertEquals(List.of(new Action(Action.Who.APP, List.of("sh", "-c", ProxyPlan.ADD_SERVER, "add-server",
                "http://127.0.0.1:2019", "pyerp"), "{\"listen\":[\":443\"]}".getBytes(StandardCharsets.UTF_8))),
                steps.get(1).actions());
        assertFalse(add.argv().stream().anyMatch(word -> word.contains(":443")), "the JSON goes on stdin, not in argv");
        assertEquals(Optional.empty(), ProxyPlan.notStarted(CADDY, ServerState.parse(FRESH.replace(
                "@@pyerp:service-manager\n\n", SYSTEMD))));
    }

    @Test
    void caddyFromItsAdminApiUnitWithTheServerIsUnchanged() {
        List<Step> steps = caddy(WITH_CADDY.replace("@@pyerp:service-manager\n\n", SYSTEMD));
        assertEquals(new Step("proxy", Outcome.UNCHANGED, "caddy 2.6.2, curl; caddy-api.service enabled and running",
                List.of()), steps.get(0));
        assertEquals(new Step("proxy server", Outcome.UNCHANGED, "Caddy's admin API at http://127.0.0.1:2019 has the"
                + " server pyerp on :443", List.of()), steps.get(1));
    }

    @Test
    void theCaddyfileUnitIsStoppedAndTheApiUnitStartedAndOnlyMissingPackagesInstalled() {
        String caddyfile = WITH_CADDY.replace("@@pyerp:service-manager\n\n", SYSTEMD)
                .replace("disabled inactive", "enabled active").replace("@@pyerp:caddy-api-service\nenabled active",
                        "@@pyerp:caddy-api-service\ndisabled inactive").replace("/usr/bin/curl", "")
                .replaceAll("(?s)@@pyerp:caddy-server\n.*", "@@pyerp:caddy-server\n");
        List<Step> steps = caddy(caddyfile);
        assertEquals(Outcome.CHANGED, steps.get(0).outcome());
        assertEquals(List.of(APT_UPDATE, aptInstall("curl"), Action.root("systemctl", "disable", "--now", "caddy.service"),
                Action.root("systemctl", "enable", "--now", "caddy-api.service")), steps.get(0).actions());
        assertEquals(Outcome.CREATED, steps.get(1).outcome());
        assertEquals(ProxyPlan.ADD_SERVER, steps.get(1).actions().get(0).argv().get(2));

        String apiStopped = WITH_CADDY.replace("@@pyerp:service-manager\n\n", SYSTEMD).replace(
                "@@pyerp:caddy-api-service\nenabled active", "@@pyerp:caddy-api-service\nenabled failed");
        assertEquals(List.of(Action.root("systemctl", "enable", "--now", "caddy-api.service")),
                caddy(apiStopped).get(0).actions());
        assertEquals(Outcome.CHANGED, caddy(apiStopped).get(0).outcome());
    }

    @Test
    void aServerOfTheSameNameElsewhereIsKeptAsItIs() {
        Step server = caddy(WITH_CADDY.replace("@@pyerp:service-manager\n\n", SYSTEMD).replace("[\":443\"]",
                "[\"127.0.0.1:18680\"]")).get(1);
        assertEquals(new Step("proxy server", Outcome.UNCHANGED, "Caddy's admin API at http://127.0.0.1:2019 has the"
                + " server pyerp on 127.0.0.1:18680, not :443: kept as it is", List.of()), server);
    }

    @Test
    void withoutServiceManagerCaddyIsOnlyInstalledAndANoticeSaysHowToStartIt() {
        List<Step> steps = caddy(FRESH);
        assertEquals(new Step("proxy", Outcome.CREATED, "apt-get install caddy curl; no service manager, so Caddy was not"
                + " started", List.of(APT_UPDATE, aptInstall("caddy", "curl"))), steps.get(0));
        assertEquals(Outcome.SKIPPED, steps.get(1).outcome());
        assertTrue(steps.get(1).actions().isEmpty());
        String notice = ProxyPlan.notStarted(CADDY, ServerState.parse(FRESH)).orElseThrow();
        assertTrue(notice.contains("`caddy run --resume` (or its unit, caddy-api.service)"), notice);
        assertTrue(notice.contains("http://127.0.0.1:2019 an HTTP server pyerp that listens on :443"), notice);
        assertEquals(Optional.empty(), ProxyPlan.notStarted(TARGET, ServerState.parse(FRESH)));

        List<Step> again = caddy(WITH_CADDY.replaceAll("(?s)@@pyerp:caddy-service\n.*", ""));
        assertEquals(new Step("proxy", Outcome.UNCHANGED, "caddy 2.6.2, curl; no service manager, so Caddy was not started",
                List.of()), again.get(0));
    }

    @Test
    void theProbeAsksAboutCaddyOnlyForProxyCaddy() {
        assertEquals(List.of("pyerp", "/srv/erp", "", ""), ServerState.probe(TARGET).subList(4, 8));
        assertEquals(List.of("pyerp", "/srv/erp", "http://127.0.0.1:2019", "pyerp"), ServerState.probe(CADDY).subList(4, 8));
        ServerState.Caddy caddy = ServerState.parse(WITH_CADDY).caddy();
        assertEquals(new ServerState.Unit("disabled", "inactive"), caddy.service());
        assertTrue(caddy.apiService().on() && caddy.service().off() && caddy.curl());
        assertTrue(caddy.server().startsWith("{\"listen\""), caddy.server());
        ServerState.Caddy none = ServerState.parse(FRESH + "@@pyerp:caddy-service\nnone inactive\n@@pyerp:caddy-server\nnull\n")
                .caddy();
        assertEquals(new ServerState.Caddy("", false, new ServerState.Unit("none", "inactive"),
                new ServerState.Unit("none", "none"), ""), none);
        assertFalse(none.service().on());
        assertTrue(none.service().off());
    }
}
