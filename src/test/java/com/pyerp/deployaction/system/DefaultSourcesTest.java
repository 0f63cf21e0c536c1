package com.pyerp.deployaction.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.debian.AptSource;
import com.pyerp.deployaction.os.OsRelease;
import java.util.List;
import org.junit.jupiter.api.Test;

class DefaultSourcesTest {

    private static List<String> lines(String osRelease, String architecture) {
        return DefaultSources.of(OsRelease.parse(osRelease), architecture).stream().map(AptSource::toString).toList();
    }

    @Test
    void debianHasItsReleaseUpdatesAndSecuritySuites() {
        assertEquals(List.of("deb http://deb.debian.org/debian/ bookworm main",
                "deb http://deb.debian.org/debian/ bookworm-updates main",
                "deb http://deb.debian.org/debian-security/ bookworm-security main"),
                lines("PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\n"
                        + "VERSION_CODENAME=bookworm\n", "arm64"));
    }

    @Test
    void ubuntuHasItsPocketsAndPortsForOtherArchitectures() {
        String noble = "ID=ubuntu\nVERSION_ID=\"24.04\"\nVERSION_CODENAME=noble\n";
        assertEquals(List.of("deb http://archive.ubuntu.com/ubuntu/ noble main universe",
                "deb http://archive.ubuntu.com/ubuntu/ noble-updates main universe",
                "deb http://security.ubuntu.com/ubuntu/ noble-security main universe"), lines(noble, "amd64"));
        assertEquals("deb http://ports.ubuntu.com/ubuntu-ports/ noble-security main universe", lines(noble, "arm64").get(2));
    }

    @Test
    void anotherDistributionNeedsItsSourcesSpelledOut() {
        ActionException e = assertThrows(ActionException.class,
                () -> lines("PRETTY_NAME=\"Alpine Linux v3.19\"\nID=alpine\nVERSION_CODENAME=x\n", "amd64"));
        assertEquals("Invalid input: system-packages-sources", e.title());
        assertEquals("The base image is Alpine Linux v3.19, and the action knows the suites of Debian and Ubuntu only,"
                + " so there are no default suites. Set system-packages-sources to its suites, one 'deb URL SUITE"
                + " COMPONENT…' line each.", e.getMessage());
        assertEquals("The base image is Debian GNU/Linux trixie/sid, and its /etc/os-release names no VERSION_CODENAME,"
                + " so there are no default suites. Set system-packages-sources to its suites, one 'deb URL SUITE"
                + " COMPONENT…' line each.", assertThrows(ActionException.class, () -> lines(
                        "PRETTY_NAME=\"Debian GNU/Linux trixie/sid\"\nID=debian\n", "amd64")).getMessage());
    }
}
