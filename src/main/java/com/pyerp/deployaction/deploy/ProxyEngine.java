package com.pyerp.deployaction.deploy;

import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.config.DeployTarget;
import com.pyerp.deployaction.config.HealthCheck;
import com.pyerp.deployaction.config.ProxySwitch;
import com.pyerp.deployaction.ssh.OutputListener;
import com.pyerp.deployaction.ssh.RemoteShell;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * {@code switch: proxy}: the web services (those that listen on {@code ${APP_PORT}}) run in two slots, the Compose
 * projects {@code APP-blue} and {@code APP-green}, each on its own loopback port. A release starts in the slot that
 * does not serve, is health-checked on that slot's port, and only then does Caddy switch the app's route to it, in
 * one change. The old slot drains, is stopped and kept for a rollback; the other services are replaced in place after
 * the switch. A release that fails its health check never reaches the proxy. The files, the pull, the migration and
 * the pruning are Compose's as in {@link ComposeEngine}.
 */
final class ProxyEngine implements DeployEngine {

    /** The old release was healthy minutes ago; give it this long to prove it again, as a rollback does. */
    private static final Duration RESUME_MINIMUM_WAIT = Duration.ofSeconds(30);

    private final RemoteShell server;
    private final RemoteShell shell;
    private final DeployTarget target;
    private final ProxySwitch proxy;
    private final ComposeFile composeFile;
    private final HostLog log;
    private final ComposeEngine inPlace;
    private final List<String> web;
    /** The image this run deploys. */
    private final String releaseImage;
    /** The port the proxy serves from, as far as this deploy knows; empty before the first proxy deploy. */
    private OptionalInt servingPort = OptionalInt.empty();
    /** The port the last switch moved traffic away from, for {@link #retire}. */
    private OptionalInt replaced = OptionalInt.empty();
    private Slot started;
    private String startedImage;
    /** With migrate-pause, once held: the slot the held requests wait for. */
    private Slot heldSlot;
    /** Made once the preflight has named the Compose project, which names the route. */
    private CaddyRoute caddy;

    /** One of the two slots: its Compose project and the port its web services listen on. */
    record Slot(String project, int port) {}

    ProxyEngine(RemoteShell server, RemoteShell shell, DeployTarget target, ComposeFile composeFile,
            HostDeploy.Release release, HostLog log) {
        this.server = server;
        this.shell = shell;
        this.target = target;
        this.proxy = target.proxy();
        this.composeFile = composeFile;
        this.log = log;
        this.inPlace = new ComposeEngine(server, shell, target, composeFile, release, log,
                variables(proxy.slotPorts().get(0), AssetCommands.NONE));
        this.web = webServices(composeFile, target.services());
        this.releaseImage = release.image();
        this.startedImage = releaseImage;
    }

    /** The services that run in the slots: those of {@code chosen} (all when empty) that listen on ${APP_PORT}. */
    static List<String> webServices(ComposeFile composeFile, List<String> chosen) {
        return composeFile.portServices().stream().filter(name -> chosen.isEmpty() || chosen.contains(name)).toList();
    }

    @Override
    public List<String> programsToCheck() {
        List<String> programs = new ArrayList<>(inPlace.programsToCheck());
        programs.add("curl");
        return programs;
    }

    /** Also checks, before the lock, that Caddy's admin API answers and has the configured server. */
    @Override
    public void requirePrograms(List<String> missing) {
        inPlace.requirePrograms(missing);
        if (missing.contains("curl")) {
            throw new ActionException("Server not ready", log.host() + ": switch: proxy talks to Caddy's admin API with"
                    + " curl on the server, and curl is not installed. Install it (apt-get install curl).");
        }
        CaddyRoute.requireServer(server, proxy, log);
    }

    @Override
    public void validate(String image) {
        if (!proxy.assetPath().isEmpty()) {
            shell.run(AssetCommands.prepareNone(target.appDir()), OutputListener.SILENT);
        }
        inPlace.validate(image);
    }

    @Override
    public void pull() {
        inPlace.pull();
    }

    @Override
    public String runningImage() {
        return inPlace.runningImage();
    }

    @Override
    public void migrate() {
        inPlace.migrate(heldSlot == null ? ComposeEngine.OLD_SERVES : "the old version starts again and takes the held"
                + " requests, with its compose.yaml and .env put back.");
    }

    @Override
    public boolean startsBeside() {
        return true;
    }

    /** Starts the web services in the slot that does not serve; the proxy does not change. */
    @Override
    public void start(String image) {
        if (heldSlot != null) {
            log.info("starting slot " + heldSlot.project() + " on port " + heldSlot.port() + ", which the held requests"
                    + " wait for");
            startIn(heldSlot, image);
            return;
        }
        servingPort = route().servingPort();
        Slot next = otherSlot();
        log.info(servingPort.isEmpty() ? "first deploy behind the proxy: starting slot " + next.project()
                : "serving from port " + servingPort.getAsInt() + "; starting slot " + next.project() + " on port "
                        + next.port());
        startIn(next, image);
    }

    /**
     * With migrate-pause, before the migration: the route holds new requests for the slot that is about to start, for
     * at most the pause; the old slot drains and stops, so that no old code runs during the migration.
     */
    @Override
    public void hold() {
        servingPort = route().servingPort();
        if (servingPort.isEmpty()) {
            log.info("nothing serves behind the proxy yet: nothing to hold");
            return;
        }
        Slot old = slotOn(servingPort.getAsInt());
        Slot next = otherSlot();
        route().set(ProxyCommands.holdRouteJson(proxy, inPlace.compose().name(), next.port(), old.port()), true);
        heldSlot = next;
        log.info("proxy: holding requests to " + String.join(", ", proxy.hosts()) + " for up to "
                + proxy.migratePause().toSeconds() + " s, for " + ProxyCommands.upstream(next.port()) + " ("
                + next.project() + ")");
        route().drain(old.port());
        log.run(shell, slot(old).stop(releaseImage, web));
    }

    @Override
    public boolean holds() {
        return heldSlot != null;
    }

    /**
     * After a held migration or release failed: {@code previousImage} starts in the slot the held requests wait for,
     * and serves them, with the files put back.
     */
    @Override
    public String resume(String previousImage) {
        log.info("starting " + previousImage + " in " + heldSlot.project() + ", which the held requests wait for");
        startIn(heldSlot, previousImage);
        String problem = waitHealthy(previousImage, RESUME_MINIMUM_WAIT);
        switchTraffic();
        retire();
        return problem;
    }

    private void startIn(Slot slot, String image) {
        started = slot;
        startedImage = image;
        if (!proxy.assetPath().isEmpty()) {
            String assets = AssetCommands.name(image);
            log.info("assets: " + proxy.assetPath() + " of the image, with the serving release's, in "
                    + AssetCommands.DIRECTORY + "/" + assets);
            shell.run(AssetCommands.prepare(target.appDir(), image, assets, proxy.assetPath()), log.output());
        }
        log.run(shell, slot(slot).up(image, web));
    }

    @Override
    public String waitHealthy(String image, Duration atLeast) {
        String host = proxy.hosts().stream().filter(name -> !name.startsWith("*.")).findFirst().orElse("");
        return HealthWait.ofContainers(shell, slotHealth(target.health(), started.port(), host), log,
                ignored -> containersOf(started.project(), true)).waitHealthy(image, atLeast);
    }

    /** The health check asked of the slot's own port, with the app's host name, before the proxy sends it anything. */
    static HealthCheck slotHealth(HealthCheck health, int port, String host) {
        URI url = health.url();
        try {
            URI direct = new URI("http", null, "127.0.0.1", port, url.getRawPath() == null || url.getRawPath().isEmpty()
                    ? "/" : url.getPath(), url.getQuery(), null);
            return new HealthCheck(direct, health.status(), health.host().isEmpty() ? host : health.host(), health.body(),
                    health.timeout(), health.interval(), health.successes());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String lastLogLines() {
        return inPlace.lastLogLines(slot(started), web);
    }

    /** Switches the route to the slot started last, in one change. */
    @Override
    public void switchTraffic() {
        route().set(ProxyCommands.routeJson(proxy, inPlace.compose().name(), started.port(), opposite(started).port()),
                servingPort.isPresent());
        log.info("proxy: " + String.join(", ", proxy.hosts()) + " -> " + ProxyCommands.upstream(started.port())
                + " (" + started.project() + ")");
        replaced = servingPort;
        servingPort = OptionalInt.of(started.port());
        heldSlot = null;
    }

    /** Drains and stops the slot that served before the switch, then replaces the other services. */
    @Override
    public void retire() {
        Slot old = opposite(started);
        if (replaced.isPresent() && replaced.getAsInt() == old.port()) {
            route().drain(old.port());
            log.run(shell, slot(old).stop(startedImage, web));
        } else if (replaced.isEmpty()) {
            stopInPlaceWeb();
        }
        if (!proxy.assetPath().isEmpty()) {
            shell.run(AssetCommands.serving(target.appDir(), AssetCommands.name(startedImage)), log.output());
        }
        List<String> others = composeFile.inPlaceServices(target.services());
        if (!others.isEmpty()) {
            log.run(shell, inPlace.compose().up(startedImage, others));
        }
    }

    @Override
    public void discard() {
        log.info((heldSlot == null ? "the proxy still serves the old version; stopping " : "stopping the new release,"
                + " which the old one replaces: ") + started.project());
        log.run(shell, slot(started).stop(startedImage, web));
    }

    @Override
    public void prune(String previousImage) {
        inPlace.prune(previousImage);
    }

    /** Before the first proxy deploy the web services ran in app-dir's own project: they stop once the proxy serves. */
    private void stopInPlaceWeb() {
        if (!containersOf(inPlace.compose().name(), false).isEmpty()) {
            log.run(shell, inPlace.compose().stop(startedImage, web));
        }
    }

    /** The slot that does not serve now; blue before the first proxy deploy. */
    private Slot otherSlot() {
        return servingPort.isPresent() ? opposite(slotOn(servingPort.getAsInt())) : slotOn(proxy.slotPorts().get(0));
    }

    private Slot opposite(Slot slot) {
        return slotOn(slot.port() == proxy.slotPorts().get(0) ? proxy.slotPorts().get(1) : proxy.slotPorts().get(0));
    }

    private Slot slotOn(int port) {
        return new Slot(inPlace.compose().name() + (port == proxy.slotPorts().get(0) ? "-blue" : "-green"), port);
    }

    /** The slot's project, with the assets of the release started last (any value does for stop and logs). */
    private Compose slot(Slot slot) {
        return inPlace.compose().as(slot.project(), variables(slot.port(), AssetCommands.name(startedImage)));
    }

    private Map<String, String> variables(int port, String assets) {
        return proxy.assetPath().isEmpty() ? Map.of(ComposeFile.PORT_VARIABLE, Integer.toString(port))
                : Map.of(ComposeFile.PORT_VARIABLE, Integer.toString(port), ComposeFile.ASSETS_VARIABLE,
                        AssetCommands.path(target.appDir(), assets));
    }

    /** The ids of the project's containers of the web services; with {@code all}, stopped ones too. */
    private List<String> containersOf(String project, boolean all) {
        return shell.run(ProxyCommands.projectContainers(project, all), OutputListener.SILENT).stdout().strip()
                .lines().map(line -> line.strip().split(" ")).filter(row -> row.length == 2 && web.contains(row[1]))
                .map(row -> row[0]).toList();
    }

    private CaddyRoute route() {
        if (caddy == null) {
            caddy = new CaddyRoute(shell, proxy, inPlace.compose().name(), log);
        }
        return caddy;
    }
}
