package com.pyerp.deployaction.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * Every package's {@code data.tar} decompressed into the staging directory, several packages at a time (xz is
 * most of the work), each in a directory of its own; the layer is then put together from them in order, so the
 * result does not depend on which package finished first.
 */
final class StagedPackages {

    /** @param file the regular file's content, null for anything else or an entry the layer leaves out */
    record Staged(String path, TarArchiveEntry entry, Path file, long size) {}

    record Package(PackageLayer.Unpack unpack, DebFile.Control control, List<Staged> entries) {}

    private StagedPackages() {}

    /** @param skipped paths whose content the layer does not take (the base's directory links) */
    static List<Package> extract(List<PackageLayer.Unpack> packages, Map<String, String> skipped, Path staging)
            throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors()),
                runnable -> {
                    Thread thread = new Thread(runnable, "deb-unpack");
                    thread.setDaemon(true);
                    return thread;
                });
        try {
            List<Future<Package>> extracted = new ArrayList<>();
            for (int index = 0; index < packages.size(); index++) {
                PackageLayer.Unpack unpack = packages.get(index);
                Path directory = staging.resolve(Integer.toString(index));
                extracted.add(pool.submit(() -> extract(unpack, skipped, directory)));
            }
            List<Package> result = new ArrayList<>();
            for (Future<Package> future : extracted) {
                result.add(future.get());
            }
            return result;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while unpacking the packages", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io
                    : e.getCause() instanceof UncheckedIOException unchecked ? unchecked.getCause()
                    : new IOException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static Package extract(PackageLayer.Unpack unpack, Map<String, String> skipped, Path directory)
            throws IOException {
        Files.createDirectories(directory);
        List<Staged> entries = new ArrayList<>();
        DebFile.Control control = DebFile.read(unpack.deb(), (entry, content) -> {
            String path = PackageLayer.checkedPath(entry.getName(), unpack);
            Path file = null;
            long size = 0;
            if (entry.isFile() && !path.isEmpty() && !skipped.containsKey(path)) {
                file = directory.resolve(Integer.toString(entries.size()));
                size = Files.copy(content, file);
            }
            entries.add(new Staged(path, entry, file, size));
        });
        return new Package(unpack, control, List.copyOf(entries));
    }
}
