package com.pyerp.deployaction.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FileEntry;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.image.ReproducibleLayerBuilder;
import com.google.common.collect.ImmutableList;
import com.pyerp.deployaction.config.BuildSpec.CopySpec;
import com.pyerp.deployaction.config.BuildSpec.FileProperties;
import com.pyerp.deployaction.config.BuildSpec.LayerSpec;
import com.pyerp.deployaction.config.BuildSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link LayerTar} against the tar Jib's ReproducibleLayerBuilder writes for the same entries: the same bytes. */
class LayerTarTest {

    @TempDir
    Path temp;

    @Test
    void aWalkedTreeGivesJibsBytes() throws IOException {
        Path app = Files.createDirectories(temp.resolve("app"));
        Path deep = Files.createDirectories(app.resolve("a-package-name-that-is-long/with/many/levels/so/that/the/whole"
                + "/path/is/longer/than/the/hundred/and/fifty/five/characters/of/a/ustar/header/and/then/some"));
        Files.writeString(deep.resolve("module_with_a_long_name.py"), "VALUE = 1\n");
        Files.writeString(app.resolve("ünïcödé-名前.txt"), "text\n");
        Files.write(app.resolve("empty"), new byte[0]);
        Files.write(app.resolve("big.bin"), new byte[1_000_003]);
        Path script = Files.writeString(app.resolve("manage.py"), "#!/usr/bin/env python3\n");
        assertTrue(script.toFile().setExecutable(true, false));
        Files.createDirectories(app.resolve("media"));

        List<FileEntriesLayer> layers = LayerPlanner.plan(List.of(new LayerSpec("app", List.of(
                new CopySpec(app, "/app/src", List.of(), List.of(), FileProperties.NONE),
                new CopySpec(app.resolve("media"), "/app/media", List.of(), List.of(),
                        new FileProperties(null, "750", "10001", "10001", null)))))).stream()
                .map(LayerPlanner.Planned::layer).toList();

        assertSameBytes(layers.get(0));
    }

    @Test
    void ownersByNameTimesWithNanosDuplicatesAndImplicitParentsGiveJibsBytes() throws IOException {
        Path file = Files.writeString(temp.resolve("settings.py"), "DEBUG = False\n");
        Path directory = Files.createDirectories(temp.resolve("directory"));
        FilePermissions mode = FilePermissions.fromOctalString("640");
        FileEntriesLayer layer = FileEntriesLayer.builder().setName("odd")
                .addEntry(new FileEntry(file, AbsoluteUnixPath.get("/etc/app/deep/settings.py"), mode,
                        Instant.parse("2024-01-02T03:04:05.123456789Z"), "app:www-data"))
                .addEntry(new FileEntry(file, AbsoluteUnixPath.get("/etc/app/deep/settings.py"), mode,
                        Instant.EPOCH, "0:0"))
                .addEntry(new FileEntry(directory, AbsoluteUnixPath.get("/var/lib/app"),
                        FilePermissions.fromOctalString("700"), Instant.ofEpochSecond(1_700_000_000), "10001:"))
                .addEntry(new FileEntry(file, AbsoluteUnixPath.get("/var/lib/app/copy.py"), mode,
                        Instant.ofEpochSecond(1), ":staff"))
                .addEntry(new FileEntry(file, AbsoluteUnixPath.get("/top.py"), mode, Instant.ofEpochSecond(1), ""))
                .build();

        assertSameBytes(layer);
    }

    private static void assertSameBytes(FileEntriesLayer layer) throws IOException {
        ByteArrayOutputStream jib = new ByteArrayOutputStream();
        new ReproducibleLayerBuilder(ImmutableList.copyOf(layer.getEntries())).build().writeTo(jib);
        ByteArrayOutputStream ours = new ByteArrayOutputStream();
        LayerTar.write(layer, ours);
        assertTrue(jib.size() > 1024, "a tar with content: " + jib.size());
        assertArrayEquals(jib.toByteArray(), ours.toByteArray());
    }
}
