package com.pyerp.deployaction.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.registry.RegistryRepository;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The system image's documents: the base's, with the layer on top and everything else kept. */
class SystemImageTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DOCKER = "application/vnd.docker.distribution.manifest.v2+json";
    private static final String CONFIG = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Env\":[\"A=1\"],"
            + "\"Labels\":{\"base\":\"yes\"}},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:" + "1".repeat(64)
            + "\"]},\"history\":[{\"created_by\":\"debootstrap\"}]}";
    private static final String MANIFEST = "{\"schemaVersion\":2,\"mediaType\":\"" + DOCKER + "\",\"config\":{"
            + "\"mediaType\":\"application/vnd.docker.container.image.v1+json\",\"size\":1,\"digest\":\"sha256:"
            + "2".repeat(64) + "\"},\"layers\":[{\"mediaType\":\"application/vnd.docker.image.rootfs.diff.tar.gzip\","
            + "\"size\":10,\"digest\":\"sha256:" + "3".repeat(64) + "\"}]}";
    private static final LayerBlob LAYER = new LayerBlob(Path.of("layer.tar.gz"), "sha256:" + "4".repeat(64), 42,
            "sha256:" + "5".repeat(64));

    @Test
    void theLayerGoesOnTopAndTheRestOfTheBaseIsKept() throws Exception {
        SystemImage.Built built = SystemImage.build(platform(null), LAYER, "packages for amd64\n");
        JsonNode config = JSON.readTree(built.config().bytes());
        assertEquals(List.of("sha256:" + "1".repeat(64), LAYER.diffId()), texts(config.path("rootfs").path("diff_ids")));
        assertEquals("yes", config.path("config").path("Labels").path("base").asText());
        assertEquals(SystemImage.CREATED_BY, config.path("history").get(1).path("created_by").asText());
        assertEquals("packages for amd64\n", config.path("history").get(1).path("comment").asText());

        JsonNode manifest = JSON.readTree(built.manifest().bytes());
        assertEquals(DOCKER, built.manifest().mediaType());
        assertEquals(RegistryRepository.digest(built.config().bytes()), manifest.path("config").path("digest").asText());
        assertEquals(built.config().bytes().length, manifest.path("config").path("size").asInt());
        assertEquals(List.of("sha256:" + "3".repeat(64), LAYER.digest()), texts(manifest.path("layers"), "digest"));
        assertEquals("application/vnd.docker.image.rootfs.diff.tar.gzip",
                manifest.path("layers").get(1).path("mediaType").asText());
        assertEquals(42, manifest.path("layers").get(1).path("size").asLong());
    }

    @Test
    void anOciBaseGetsAnOciLayer() throws Exception {
        String oci = MANIFEST.replace(DOCKER, "application/vnd.oci.image.manifest.v1+json");
        BaseImage.Platform base = new BaseImage.Platform("linux/amd64", "amd64", "sha256:" + "6".repeat(64),
                new RegistryRepository.Document("application/vnd.oci.image.manifest.v1+json", bytes(oci)), bytes(CONFIG),
                null);
        JsonNode manifest = JSON.readTree(SystemImage.build(base, LAYER, "").manifest().bytes());
        assertEquals("application/vnd.oci.image.layer.v1.tar+gzip", manifest.path("layers").get(1).path("mediaType").asText());
    }

    @Test
    void theIndexKeepsOnlyTheBuiltPlatformsWithTheirBaseDescriptors() throws Exception {
        String index = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":["
                + "{\"digest\":\"sha256:" + "7".repeat(64) + "\",\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\"}},"
                + "{\"digest\":\"sha256:" + "8".repeat(64) + "\",\"platform\":{\"os\":\"linux\",\"architecture\":\"s390x\"}}]}";
        JsonNode amd64 = JSON.readTree(index).path("manifests").get(0);
        SystemImage.Built built = SystemImage.build(platform(amd64), LAYER, "");
        RegistryRepository.Document made = SystemImage.index(new RegistryRepository.Document(
                "application/vnd.oci.image.index.v1+json", bytes(index)), List.of(built));
        JsonNode manifests = JSON.readTree(made.bytes()).path("manifests");
        assertEquals(1, manifests.size());
        assertEquals(built.manifestDigest(), manifests.get(0).path("digest").asText());
        assertEquals(DOCKER, manifests.get(0).path("mediaType").asText());
        assertEquals("amd64", manifests.get(0).path("platform").path("architecture").asText());
        assertEquals("application/vnd.oci.image.index.v1+json", made.mediaType());
    }

    @Test
    void aPackageSetSurvivesTheHistoryComment() {
        PackageSet set = new PackageSet("arm64", List.of(new PackageSet.Entry("libmariadb3", "1:10.11.6-0+deb12u1", "arm64",
                170_000, true, "a".repeat(64), "http://deb.debian.org/debian/pool/main/m/mariadb/libmariadb3.deb"),
                new PackageSet.Entry("libc6", "2.36-9+deb12u4", "arm64", 0, false, "", "")));
        assertEquals(set, PackageSet.decode(set.encode()));
        assertEquals(new PackageSet("", List.of()), PackageSet.decode("written by someone else"));
    }

    @Test
    void platformsGetDebiansArchitectureNames() {
        assertEquals(List.of("amd64", "arm64", "armhf", "armel", "i386", "ppc64el", "s390x"), List.of("linux/amd64",
                "linux/arm64/v8", "linux/arm/v7", "linux/arm/v5", "linux/386", "linux/ppc64le", "linux/s390x").stream()
                .map(DebianArchitecture::of).toList());
        ActionException e = assertThrows(ActionException.class, () -> DebianArchitecture.of("windows/amd64"));
        assertEquals("Invalid input: platforms", e.title());
    }

    private static BaseImage.Platform platform(JsonNode entry) {
        return new BaseImage.Platform("linux/amd64", "amd64", "sha256:" + "6".repeat(64),
                new RegistryRepository.Document(DOCKER, bytes(MANIFEST)), bytes(CONFIG), entry);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> texts(JsonNode array) {
        return texts(array, null);
    }

    private static List<String> texts(JsonNode array, String field) {
        List<String> texts = new ArrayList<>();
        array.forEach(item -> texts.add(field == null ? item.asText() : item.path(field).asText()));
        return texts;
    }
}
