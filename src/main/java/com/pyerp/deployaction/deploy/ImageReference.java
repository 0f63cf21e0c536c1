package com.pyerp.deployaction.deploy;

/** The parts of an image reference the deploy needs: {@code registry/repository@sha256:…}. */
record ImageReference(String registry, String repository, String digest) {

    static ImageReference parse(String image) {
        int at = image.indexOf('@');
        String name = at < 0 ? image : image.substring(0, at);
        String digest = at < 0 ? "" : image.substring(at + 1);
        int slash = name.indexOf('/');
        String first = slash < 0 ? "" : name.substring(0, slash);
        boolean hasRegistry = first.contains(".") || first.contains(":") || first.equals("localhost");
        int colon = name.lastIndexOf(':');
        if (colon > name.lastIndexOf('/')) {
            name = name.substring(0, colon);
        }
        return new ImageReference(hasRegistry ? first : "docker.io", name, digest);
    }

    /** The digest's first 12 hex digits, which name the release's directories on the server. */
    String shortDigest() {
        if (!digest.startsWith("sha256:") || digest.length() < 19) {
            throw new IllegalArgumentException("not an image by digest: " + repository + "@" + digest);
        }
        return digest.substring(7, 19);
    }
}
