package com.pyerp.deployaction.imagefs;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/** Where an image is read from: a {@code docker load}-able or OCI-layout tar, or a registry. */
public interface ImageSource extends Closeable {

    /** @param digest the compressed blob digest; {@code diffId} the digest of the uncompressed tar */
    record Layer(String digest, String diffId, long size) {}

    /** The layers bottom first; {@code platform} as {@code os/arch}, empty when the image does not say. */
    record Manifest(List<Layer> layers, String platform) {}

    String description();

    Manifest manifest() throws IOException;

    /** The layer blob as stored (usually gzip-compressed); the caller closes it. Safe to call from several threads. */
    InputStream openLayer(Layer layer) throws IOException;

    @Override
    default void close() throws IOException {}
}
