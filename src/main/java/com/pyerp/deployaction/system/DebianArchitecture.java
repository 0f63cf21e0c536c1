package com.pyerp.deployaction.system;

import com.pyerp.deployaction.action.ActionException;

/** Debian's name for an image platform's architecture: {@code linux/arm/v7} is armhf, {@code linux/386} i386. */
final class DebianArchitecture {

    private DebianArchitecture() {}

    static String of(String platform) {
        String[] parts = platform.split("/");
        String variant = parts.length > 2 ? parts[2] : "";
        String architecture = parts.length > 1 ? parts[1] : "";
        String debian = switch (architecture) {
            case "amd64", "arm64", "s390x", "riscv64", "mips64le" -> architecture;
            case "386" -> "i386";
            case "ppc64le" -> "ppc64el";
            case "arm" -> variant.equals("v5") || variant.equals("v6") ? "armel" : "armhf";
            default -> "";
        };
        if (!parts[0].equals("linux") || debian.isEmpty()) {
            throw new ActionException("Invalid input: platforms", "'" + platform + "' is not a platform Debian packages"
                    + " are built for. Use linux/amd64, linux/arm64, linux/arm/v7, linux/386, linux/ppc64le or"
                    + " linux/s390x.");
        }
        return debian;
    }
}
