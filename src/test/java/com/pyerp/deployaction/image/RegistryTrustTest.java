package com.pyerp.deployaction.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.pyerp.deployaction.config.BuildSpec;
import com.pyerp.deployaction.registry.DockerConfig;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which registries a build's Jib run talks to decides whether it may leave TLS unverified, and for whom. */
class RegistryTrustTest {

    @ParameterizedTest(name = "base {0}, target {1}, tar {2}, listed {3}: {4}")
    @CsvSource(delimiter = '|', value = {
        "mirror.test/python:3|ghcr.io/o/app|false||VERIFIED",
        "mirror.test/python:3|ghcr.io/o/app|false|mirror.test|STAGED_BASE",
        "mirror.test/python:3|ghcr.io/o/app|false|ghcr.io|STAGED_BASE",
        "mirror.test/python:3|ghcr.io/o/app|false|mirror.test ghcr.io|INSECURE",
        "ghcr.io/o/python:3|ghcr.io/o/app|false|ghcr.io|INSECURE",
        "ghcr.io/o/python:3|ghcr.io/o/app|false|other.test|VERIFIED",
        // a tar talks to the base registry alone
        "mirror.test/python:3|ghcr.io/o/app|true|ghcr.io|VERIFIED",
        "mirror.test/python:3|ghcr.io/o/app|true|mirror.test|INSECURE",
        // scratch has no base registry
        "scratch|ghcr.io/o/app|false|ghcr.io|INSECURE",
        "scratch|127.0.0.1:5000/app|false|mirror.test|VERIFIED",
        "scratch|ghcr.io/o/app|true|ghcr.io|VERIFIED",
    })
    void aRunIsInsecureOnlyWhenEveryRegistryItTalksToIsListed(String base, String image, boolean tar, String listed,
            RegistryTrust.Plan plan) {
        Set<String> insecure = listed == null ? Set.of() : Set.of(listed.split(" "));
        ImageBuilder.Request request = new ImageBuilder.Request(BuildSpec.of(base, List.of(), null, null), List.of(), Map.of(),
                Instant.EPOCH, image, List.of("1"), tar ? Path.of("image.tar") : null, Optional.empty(), insecure,
                DockerConfig.load(Map.of("HOME", "/nonexistent")), Path.of("/tmp"), 1);
        assertEquals(plan, RegistryTrust.plan(request));
    }
}
