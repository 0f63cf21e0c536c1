package com.pyerp.deployaction.imagefs;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The wanted files of the image's merged file system: the layers folded bottom up with OCI whiteouts
 * (opencontainers/image-spec layer.md). A whiteout or an opaque directory hides only what lower layers hold, so the
 * order of entries inside a layer does not matter.
 */
public final class ImageFiles {

    /** A file and the layer it came from. */
    public record Entry(String path, String layer, byte[] content) {}

    private record Stored(int layerIndex, String layer, LayerReader.Change change) {}

    private final TreeMap<String, Stored> files = new TreeMap<>();

    /** {@code layers} bottom first. */
    public static ImageFiles fold(List<LayerReader.Content> layers) {
        ImageFiles image = new ImageFiles();
        for (int index = 0; index < layers.size(); index++) {
            LayerReader.Content layer = layers.get(index);
            for (LayerReader.Change change : layer.changes()) {
                if (change instanceof LayerReader.Whiteout) {
                    image.hide(change.path(), index, true);
                } else if (change instanceof LayerReader.Opaque) {
                    image.hide(change.path(), index, false);
                } else {
                    image.files.put(change.path(), new Stored(index, layer.layer(), change));
                }
            }
        }
        return image;
    }

    /** Removes what layers below {@code layerIndex} hold under {@code path} (and {@code path} itself, for a whiteout). */
    private void hide(String path, int layerIndex, boolean includingItself) {
        if (includingItself) {
            Stored self = files.get(path);
            if (self != null && self.layerIndex < layerIndex) {
                files.remove(path);
            }
        }
        Map<String, Stored> under = path.isEmpty() ? files : files.subMap(path + "/", path + "0");
        under.entrySet().removeIf(entry -> entry.getValue().layerIndex < layerIndex);
    }

    /** Every remaining regular file, links resolved to their targets' content, in path order. */
    public List<Entry> entries() {
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, Stored> file : files.entrySet()) {
            resolve(file.getKey()).ifPresent(entries::add);
        }
        return entries;
    }

    public Optional<Entry> get(String path) {
        return resolve(path);
    }

    /** Where {@code path} points when the image has a symbolic link there (normalized, without a leading '/'). */
    public Optional<String> symbolicLink(String path) {
        Stored stored = files.get(path);
        if (stored == null || !(stored.change instanceof LayerReader.Link link) || link.hard()) {
            return Optional.empty();
        }
        return Optional.of(link.target().startsWith("/") ? LayerReader.normalize(link.target())
                : join(parent(path), link.target()));
    }

    private Optional<Entry> resolve(String path) {
        String current = path;
        for (int hops = 0; hops < 8; hops++) {
            Stored stored = files.get(current);
            if (stored == null) {
                return Optional.empty();
            }
            if (stored.change instanceof LayerReader.File file) {
                return Optional.of(new Entry(path, stored.layer, file.content()));
            }
            LayerReader.Link link = (LayerReader.Link) stored.change;
            current = link.hard() || link.target().startsWith("/") ? LayerReader.normalize(link.target())
                    : join(parent(current), link.target());
        }
        return Optional.empty();
    }

    private static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    /** {@code directory/relative} with {@code .} and {@code ..} resolved, never above the root. */
    static String join(String directory, String relative) {
        Deque<String> parts = new ArrayDeque<>();
        for (String part : (directory + "/" + relative).split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                parts.pollLast();
            } else {
                parts.addLast(part);
            }
        }
        return String.join("/", parts);
    }
}
