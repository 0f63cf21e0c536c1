package com.pyerp.deployaction.scan.report;

import com.pyerp.deployaction.scan.inventory.Purl;

/**
 * The image a scan describes.
 *
 * @param name repository without tag, e.g. {@code ghcr.io/o/app}
 * @param digest the manifest digest, {@code sha256:…}
 * @param buildFile the repository-relative file the image is built from, where code scanning shows the findings
 */
public record ScannedImage(String name, String digest, String buildFile) {

    /** {@code pkg:oci/app@sha256%3A…?repository_url=ghcr.io%2Fo%2Fapp} */
    public String purl() {
        String last = name.substring(name.lastIndexOf('/') + 1);
        return "pkg:oci/" + Purl.encode(last) + "@" + Purl.encodeQualifier(digest) + "?repository_url="
                + Purl.encodeQualifier(name);
    }

    /** The upload-sarif category: one per image, so that several images' alerts do not replace each other. */
    public String category() {
        return "container/" + name + "/";
    }
}
