package com.pyerp.deployaction.scan.osv;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.pyerp.deployaction.scan.inventory.Package;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * OSV's offline export: one {@code all.zip} per ecosystem (as osv.dev publishes {@code <ECOSYSTEM>/all.zip}),
 * each a flat zip of {@code <ID>.json} records. {@code scan-db} names one zip, or a directory searched two levels
 * deep for {@code *.zip}. Only records for the image's packages are kept in memory.
 */
public final class OfflineOsv implements OsvSource {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path database;

    public OfflineOsv(Path database) {
        this.database = database;
    }

    @Override
    public String description() {
        return "the offline OSV export at " + database;
    }

    /** The zips {@code scan-db} names; empty when there are none. */
    public static List<Path> zips(Path database) throws IOException {
        if (Files.isRegularFile(database)) {
            return List.of(database);
        }
        try (Stream<Path> files = Files.find(database, 2, (path, attributes) -> attributes.isRegularFile()
                && path.getFileName().toString().endsWith(".zip"))) {
            return files.sorted().toList();
        }
    }

    @Override
    public Map<Matcher.Query, List<OsvRecord>> candidates(Collection<Matcher.Query> queries) throws Unavailable {
        Map<String, List<Matcher.Query>> wanted = new HashMap<>();
        for (Matcher.Query query : queries) {
            wanted.computeIfAbsent(key(query.ecosystem(), query.name()), key -> new ArrayList<>()).add(query);
        }
        Map<Matcher.Query, List<OsvRecord>> candidates = new LinkedHashMap<>();
        queries.forEach(query -> candidates.put(query, new ArrayList<>()));
        try {
            for (Path zip : zips(database)) {
                try (ZipFile file = new ZipFile(zip.toFile())) {
                    Enumeration<? extends ZipEntry> entries = file.entries();
                    while (entries.hasMoreElements()) {
                        ZipEntry entry = entries.nextElement();
                        if (entry.isDirectory() || !entry.getName().endsWith(".json")) {
                            continue;
                        }
                        OsvRecord record = OsvRecord.from(JSON.readTree(file.getInputStream(entry)));
                        if (record.withdrawn()) {
                            continue;
                        }
                        record.affected().stream().map(affected -> key(affected.ecosystem(), affected.name())).distinct()
                                .flatMap(key -> wanted.getOrDefault(key, List.of()).stream())
                                .forEach(query -> candidates.get(query).add(record));
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new Unavailable(database + " could not be read (" + e.getMessage() + ")", e);
        }
        candidates.replaceAll((query, records) -> List.copyOf(records));
        return candidates;
    }

    /** PyPI names in their normal form, others exactly. */
    private static String key(String ecosystem, String name) {
        return ecosystem + "\u0000" + (ecosystem.equals("PyPI") ? Package.normalizePython(name) : name);
    }
}
