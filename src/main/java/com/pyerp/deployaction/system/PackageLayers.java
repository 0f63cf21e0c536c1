package com.pyerp.deployaction.system;

import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.action.Workflow;
import com.pyerp.deployaction.debian.BinaryPackage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/** Downloads one platform's packages and lays them into its layer, compressed for the registry. */
final class PackageLayers {

    /** The layer, what it holds, and the packages whose maintainer scripts were skipped. */
    record Layer(LayerBlob blob, PackageSet packages, List<String> scripted) {}

    private static final long PROGRESS_NANOS = 5_000_000_000L;
    private static final int DOWNLOADS = 4;

    private PackageLayers() {}

    /**
     * Every package's {@code .deb}, {@value #DOWNLOADS} at a time (a mirror far away answers each request slowly),
     * in the given order, with a progress line at most every 5 s.
     */
    private static List<PackageLayer.Unpack> download(List<BinaryPackage> added, Function<BinaryPackage, Path> fetch,
            Workflow workflow) {
        ExecutorService pool = Executors.newFixedThreadPool(DOWNLOADS, runnable -> {
            Thread thread = new Thread(runnable, "deb-download");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<Path>> downloads = added.stream().map(binary -> pool.submit(() -> fetch.apply(binary))).toList();
            List<PackageLayer.Unpack> unpack = new ArrayList<>();
            long started = System.nanoTime();
            long lastLine = started;
            long bytes = 0;
            for (int index = 0; index < added.size(); index++) {
                unpack.add(new PackageLayer.Unpack(added.get(index), result(downloads.get(index))));
                bytes += added.get(index).size();
                if (System.nanoTime() - lastLine >= PROGRESS_NANOS) {
                    lastLine = System.nanoTime();
                    workflow.info(String.format("… %d of %d packages (%s) after %.0f s", unpack.size(), added.size(),
                            SystemPackagesStage.size(bytes), (lastLine - started) / 1e9));
                }
            }
            return unpack;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The download's file; its failure (an ActionException naming the package) as it was thrown. */
    private static Path result(Future<Path> download) {
        try {
            return download.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ActionException("Build interrupted", "The package downloads were interrupted.");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** @param fetch the downloaded {@code .deb} of a package, checked */
    static Layer lay(BaseImage.Platform base, BaseFiles files, List<BinaryPackage> added, PackageSet packages,
            Function<BinaryPackage, Path> fetch, Path scratch, Workflow workflow) {
        long started = System.nanoTime();
        List<PackageLayer.Unpack> unpack = download(added, fetch, workflow);
        long bytes = added.stream().mapToLong(BinaryPackage::size).sum();
        workflow.info(String.format("%s: %d package(s), %s, ready in %.1f s", base.platform(), added.size(),
                SystemPackagesStage.size(bytes), (System.nanoTime() - started) / 1e9));
        try {
            long unpacking = System.nanoTime();
            Path directory = Files.createTempDirectory(scratch, base.architecture() + "-");
            Path staging = Files.createDirectory(directory.resolve("staging"));
            PackageLayer.Result written = PackageLayer.write(unpack, files.dpkgStatus(), files.directoryLinks(), staging,
                    directory.resolve("layer.tar"));
            long compressing = System.nanoTime();
            LayerBlob blob = LayerBlob.compress(written.tar(), directory.resolve("layer.tar.gz"));
            Files.delete(written.tar());
            workflow.info(String.format("%s: layer of %s unpacked in %.1f s, compressed to %s in %.1f s", base.platform(),
                    SystemPackagesStage.size(written.bytes()), (compressing - unpacking) / 1e9,
                    SystemPackagesStage.size(blob.size()), (System.nanoTime() - compressing) / 1e9));
            return new Layer(blob, packages, written.scripted());
        } catch (IOException e) {
            throw new ActionException("System packages: layer not made", "Unpacking the packages for "
                    + base.platform() + " into a layer in " + scratch + " failed (" + e.getMessage() + "). Nothing was"
                    + " built.", e);
        }
    }
}
