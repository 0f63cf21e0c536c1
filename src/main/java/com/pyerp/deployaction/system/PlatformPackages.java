package com.pyerp.deployaction.system;

import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.action.Workflow;
import com.pyerp.deployaction.config.SystemPackagesSettings;
import com.pyerp.deployaction.debian.AptSource;
import com.pyerp.deployaction.debian.BinaryPackage;
import com.pyerp.deployaction.debian.ControlParagraph;
import com.pyerp.deployaction.debian.Resolver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One platform's part of the system image: its base, the suites it installs from (verified), and the key that
 * names its layer; then, when no image has that key yet, the resolved packages downloaded and laid into a layer.
 */
record PlatformPackages(SystemPackagesSettings settings, BaseImage.Platform base, BaseFiles files,
        List<SuiteIndexes.Suite> suites, String key) {

    /** The layer, its packages, and the packages whose maintainer scripts were skipped. */
    record Layer(LayerBlob blob, PackageSet packages, List<String> scripted) {}

    private static final long PROGRESS_NANOS = 5_000_000_000L;

    static PlatformPackages of(SystemPackagesSettings settings, BaseImage.Platform base, BaseFiles files,
            SuiteIndexes indexes) {
        List<AptSource> sources = settings.sources().isEmpty() ? DefaultSources.of(files.osRelease(), base.architecture())
                : settings.sources();
        List<SuiteIndexes.Suite> suites = sources.stream().map(indexes::release).toList();
        String key = String.join("\n", base.digest(), base.architecture(), settings.packages().toString(),
                sources.toString(), settings.keyring().fingerprints().toString(),
                suites.stream().map(SuiteIndexes.Suite::signedSha256).toList().toString(), files.directoryLinks().toString());
        return new PlatformPackages(settings, base, files, suites, SystemPackagesStage.sha256(key));
    }

    Layer layer(SuiteIndexes indexes, DebDownloads downloads, Path scratch, Workflow workflow)
            throws IOException {
        String architecture = base.architecture();
        List<BinaryPackage> candidates = indexes.packagesOf(suites, architecture);
        Resolver.Resolution resolution;
        try {
            resolution = Resolver.resolve(settings.packages(), architecture, candidates, installed(files.dpkgStatus()));
        } catch (Resolver.Unresolvable e) {
            throw new ActionException("System packages: cannot be installed", e.getMessage());
        }
        List<PackageLayer.Unpack> unpack = new ArrayList<>();
        long started = System.nanoTime();
        long lastLine = started;
        long bytes = 0;
        for (BinaryPackage added : resolution.added()) {
            unpack.add(new PackageLayer.Unpack(added, downloads.fetch(added)));
            bytes += added.size();
            if (System.nanoTime() - lastLine >= PROGRESS_NANOS) {
                lastLine = System.nanoTime();
                workflow.info(String.format("… %d of %d packages (%s) after %.0f s", unpack.size(),
                        resolution.added().size(), SystemPackagesStage.size(bytes), (lastLine - started) / 1e9));
            }
        }
        Path directory = Files.createTempDirectory(scratch, architecture + "-");
        Path staging = Files.createDirectory(directory.resolve("staging"));
        PackageLayer.Result written = PackageLayer.write(unpack, files.dpkgStatus(), files.directoryLinks(), staging,
                directory.resolve("layer.tar"));
        LayerBlob blob = LayerBlob.compress(written.tar(), directory.resolve("layer.tar.gz"));
        Files.delete(written.tar());
        return new Layer(blob, PackageSet.of(architecture, resolution), written.scripted());
    }

    private static List<BinaryPackage> installed(String status) {
        return ControlParagraph.parseAll(status).stream()
                .filter(paragraph -> paragraph.get("Status").equals("install ok installed"))
                .map(paragraph -> BinaryPackage.of(paragraph, "the base image")).toList();
    }
}
