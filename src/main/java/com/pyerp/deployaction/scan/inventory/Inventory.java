package com.pyerp.deployaction.scan.inventory;

import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.imagefs.ImageReader;
import com.pyerp.deployaction.imagefs.ImageSource;
import com.pyerp.deployaction.imagefs.LayerReader;
import com.pyerp.deployaction.os.OsRelease;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * What is installed in an image: its OS release and packages, cataloged from the files the image's layers hold.
 *
 * @param bytes the uncompressed size of all layers
 */
public record Inventory(OsRelease os, List<Package> packages, String platform,
        long bytes, Duration elapsed) {

    public static Inventory read(ImageSource source, Consumer<String> progress) throws IOException {
        long start = System.nanoTime();
        ImageReader.Result image;
        try {
            image = ImageReader.read(source, Catalog::wanted, progress);
        } catch (LayerReader.UnsupportedCompression e) {
            throw new ActionException("Layer not readable", e.getMessage() + ", which the scanner cannot read yet."
                    + " Build with gzip layers (Jib's default) or set scan: false.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ActionException("Scan interrupted", "The scan was interrupted while reading the image's layers.");
        }
        Catalog.Result catalog = Catalog.of(image.files());
        return new Inventory(catalog.os(), catalog.packages(), image.platform(), image.bytes(),
                Duration.ofNanos(System.nanoTime() - start));
    }
}
