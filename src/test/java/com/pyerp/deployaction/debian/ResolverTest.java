package com.pyerp.deployaction.debian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResolverTest {

    private static final List<BinaryPackage> INDEX = packages("index", """
            Package: app
            Version: 1.0
            Architecture: amd64
            Pre-Depends: libc6 (>= 2.36)
            Depends: libfoo (>= 2), mail-transport-agent | exim4, libbar

            Package: libfoo
            Version: 1.5
            Architecture: amd64

            Package: libfoo
            Version: 2.1
            Architecture: amd64
            Depends: libfoo-data (= 2.1)

            Package: libfoo-data
            Version: 2.1
            Architecture: all

            Package: postfix
            Version: 3.7
            Architecture: amd64
            Provides: mail-transport-agent

            Package: exim4
            Version: 4.96
            Architecture: amd64

            Package: libbar
            Version: 1.0
            Architecture: arm64

            Package: libbar
            Version: 0.9
            Architecture: amd64

            Package: libc6
            Version: 2.36-9
            Architecture: amd64

            Package: libc6
            Version: 2.36-9+deb12u9
            Architecture: amd64

            Package: old-libc-user
            Version: 1
            Architecture: amd64
            Depends: libc6 (<< 2.30)

            Package: rival
            Version: 1
            Architecture: amd64
            Conflicts: libbar

            Package: needs-rival
            Version: 1
            Architecture: amd64
            Depends: rival
            """);

    private static final List<BinaryPackage> BASE = packages("the base image", """
            Package: libc6
            Version: 2.36-9+deb12u4
            Architecture: amd64
            """);

    private static List<BinaryPackage> packages(String origin, String text) {
        return ControlParagraph.parseAll(text).stream().map(paragraph -> BinaryPackage.of(paragraph, origin)).toList();
    }

    private static Resolver.Resolution resolve(String... requests) {
        return Resolver.resolve(Arrays.stream(requests).map(Resolver.Request::parse).toList(), "amd64", INDEX, BASE);
    }

    private static List<String> added(Resolver.Resolution resolution) {
        return resolution.added().stream().map(BinaryPackage::describe).toList();
    }

    @Test
    void dependenciesFirstHighestVersionFirstAlternativeAndVirtualPackages() {
        assertEquals(List.of("libfoo-data:all=2.1", "libfoo:amd64=2.1", "postfix:amd64=3.7", "libbar:amd64=0.9",
                "app:amd64=1.0"), added(resolve("app")),
                "libc6 of the base satisfies >= 2.36; libbar for arm64 is not a candidate for amd64");
    }

    @Test
    void aPinnedVersionIsTaken() {
        assertEquals(List.of("libfoo:amd64=1.5"), added(resolve("libfoo=1.5")));
    }

    @Test
    void whatTheBaseHasIsNotAddedAgain() {
        Resolver.Resolution resolution = resolve("libc6");
        assertEquals(List.of(), resolution.added());
        assertEquals(List.of("libc6:amd64=2.36-9+deb12u4"), resolution.inBase().stream().map(BinaryPackage::describe).toList());
        assertEquals(List.of("libc6:amd64=2.36-9+deb12u9"), added(resolve("libc6=2.36-9+deb12u9")),
                "unless another version is asked for");
    }

    @Test
    void anUnknownNameGetsTheClosestNames() {
        assertEquals("No configured suite has a package named libfo for amd64; did you mean libfoo?",
                assertThrows(Resolver.Unresolvable.class, () -> resolve("libfo")).getMessage());
        assertEquals("No configured suite has a package named nothing-like-it for amd64.",
                assertThrows(Resolver.Unresolvable.class, () -> resolve("nothing-like-it")).getMessage());
        assertEquals("libfoo=3: the configured suites have libfoo only in version 2.1, 1.5 for amd64. Ask for one of"
                        + " them, or for the name alone.",
                assertThrows(Resolver.Unresolvable.class, () -> resolve("libfoo=3")).getMessage());
    }

    @Test
    void anUnsatisfiableSetShowsTheChain() {
        assertEquals("old-libc-user -> libc6 (<< 2.30): no configured suite has a package that satisfies libc6 (<< 2.30)"
                        + " (there is libc6:amd64=2.36-9+deb12u9, libc6:amd64=2.36-9). Check system-packages-sources, or"
                        + " pin a version that exists.",
                assertThrows(Resolver.Unresolvable.class, () -> resolve("old-libc-user")).getMessage());
    }

    @Test
    void conflictsBetweenNewPackagesAreRefused() {
        assertEquals("rival:amd64=1 (needs-rival -> rival) conflicts with libbar, which libbar:amd64=0.9 (app -> libbar)"
                        + " satisfies. Leave one of them out.",
                assertThrows(Resolver.Unresolvable.class, () -> resolve("app", "needs-rival")).getMessage());
    }

    @Test
    void aConflictWithTheBaseIsRefused() {
        List<BinaryPackage> base = packages("the base image", """
                Package: libbar
                Version: 0.5
                Architecture: amd64
                """);
        Resolver.Unresolvable e = assertThrows(Resolver.Unresolvable.class, () -> Resolver.resolve(
                List.of(Resolver.Request.parse("rival")), "amd64", INDEX, base));
        assertEquals("rival:amd64=1 (rival) conflicts with libbar, which libbar:amd64=0.5 in the base image satisfies."
                + " Leave out what needs rival, or use a base image without libbar.", e.getMessage());
    }

    @Test
    void aVirtualPackageIsTakenFromItsOnlyProviderAndRefusedWithSeveral() {
        assertEquals(List.of("postfix:amd64=3.7"), added(resolve("mail-transport-agent")));
        List<BinaryPackage> two = packages("index", """
                Package: postfix
                Version: 3.7
                Architecture: amd64
                Provides: mail-transport-agent

                Package: exim4-daemon-light
                Version: 4.96
                Architecture: amd64
                Provides: mail-transport-agent
                """);
        assertEquals("mail-transport-agent is a virtual package, provided by exim4-daemon-light, postfix: name one of"
                + " them.", assertThrows(Resolver.Unresolvable.class, () -> Resolver.resolve(
                        List.of(Resolver.Request.parse("mail-transport-agent")), "amd64", two, List.of())).getMessage());
    }

    @Test
    void aBasePackagePinnedToAnUpgradedOneIsUpgradedWithIt() {
        List<BinaryPackage> index = packages("index", """
                Package: libpython3.11-stdlib
                Version: 3.11.2-6+deb12u9
                Architecture: amd64

                Package: python3.11
                Version: 3.11.2-6+deb12u9
                Architecture: amd64
                Depends: libpython3.11-stdlib (= 3.11.2-6+deb12u9)

                Package: python3-dev
                Version: 1
                Architecture: amd64
                Depends: libpython3.11-stdlib (>= 3.11.2-6+deb12u9)
                """);
        List<BinaryPackage> base = packages("the base image", """
                Package: libpython3.11-stdlib
                Version: 3.11.2-6
                Architecture: amd64

                Package: python3.11
                Version: 3.11.2-6
                Architecture: amd64
                Depends: libpython3.11-stdlib (= 3.11.2-6)
                """);
        Resolver.Resolution resolution = Resolver.resolve(List.of(Resolver.Request.parse("python3-dev")), "amd64", index,
                base);
        assertEquals(List.of("libpython3.11-stdlib:amd64=3.11.2-6+deb12u9", "python3-dev:amd64=1",
                "python3.11:amd64=3.11.2-6+deb12u9"), added(resolution).stream().sorted().toList());
    }

    @Test
    void requestsAreNamesWithAnOptionalVersion() {
        assertEquals("'Libfoo' is not a package name such as libpango-1.0-0, or name=version",
                assertThrows(IllegalArgumentException.class, () -> Resolver.Request.parse("Libfoo")).getMessage());
        assertEquals("'libfoo=' does not end in a Debian version after '='",
                assertThrows(IllegalArgumentException.class, () -> Resolver.Request.parse("libfoo=")).getMessage());
    }
}
