package com.pyerp.deployaction.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pyerp.deployaction.registry.RegistryRepository;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** What a system image found in the registry holds, read from its layers' history entries, not from its layers. */
final class ReusedImage {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ReusedImage() {}

    static List<PackageSet> packageSets(RegistryRepository repository, String digest) throws IOException {
        JsonNode top = JSON.readTree(repository.manifest(digest).bytes());
        List<String> manifests = new ArrayList<>();
        if (top.has("manifests")) {
            top.path("manifests").forEach(entry -> manifests.add(entry.path("digest").asText()));
        } else {
            manifests.add(digest);
        }
        List<PackageSet> sets = new ArrayList<>();
        for (String manifest : manifests) {
            JsonNode document = manifest.equals(digest) ? top : JSON.readTree(repository.manifest(manifest).bytes());
            JsonNode config = JSON.readTree(repository.blob(document.path("config").path("digest").asText()));
            JsonNode history = config.path("history");
            String comment = history.size() == 0 ? "" : history.get(history.size() - 1).path("comment").asText();
            sets.add(PackageSet.decode(comment));
        }
        return sets;
    }
}
