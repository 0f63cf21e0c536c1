package com.pyerp.deployaction.system;

import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.debian.AptSource;
import com.pyerp.deployaction.os.OsRelease;
import java.util.List;

/**
 * The suites a base image's own distribution installs from, when {@code system-packages-sources} is empty: for
 * Debian, deb.debian.org's {@code <codename>} and {@code <codename>-updates} and debian-security's
 * {@code <codename>-security}; for Ubuntu, the archive's release, updates and security pockets (ports.ubuntu.com
 * for architectures other than amd64 and i386).
 */
final class DefaultSources {

    private DefaultSources() {}

    static List<AptSource> of(OsRelease release, String architecture) {
        String codename = release.codename();
        if (codename.isEmpty()) {
            throw unknown(release, "its /etc/os-release names no VERSION_CODENAME");
        }
        return switch (release.id()) {
            case "debian" -> List.of(
                    AptSource.parse("deb http://deb.debian.org/debian " + codename + " main"),
                    AptSource.parse("deb http://deb.debian.org/debian " + codename + "-updates main"),
                    AptSource.parse("deb http://deb.debian.org/debian-security " + codename + "-security main"));
            case "ubuntu" -> {
                boolean primary = List.of("amd64", "i386").contains(architecture);
                String archive = primary ? "http://archive.ubuntu.com/ubuntu" : "http://ports.ubuntu.com/ubuntu-ports";
                String security = primary ? "http://security.ubuntu.com/ubuntu" : archive;
                yield List.of(
                        AptSource.parse("deb " + archive + " " + codename + " main universe"),
                        AptSource.parse("deb " + archive + " " + codename + "-updates main universe"),
                        AptSource.parse("deb " + security + " " + codename + "-security main universe"));
            }
            default -> throw unknown(release, "the action knows the suites of Debian and Ubuntu only");
        };
    }

    private static ActionException unknown(OsRelease release, String why) {
        return new ActionException("Invalid input: system-packages-sources", "The base image is " + release.describe()
                + ", and " + why + ", so there are no default suites. Set system-packages-sources to its suites, one"
                + " 'deb URL SUITE COMPONENT…' line each.");
    }
}
