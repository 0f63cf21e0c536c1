package com.pyerp.deployaction.scan.inventory;

import com.pyerp.deployaction.debian.DebianVersion;
import com.pyerp.deployaction.os.OsRelease;
import com.pyerp.deployaction.scan.version.ApkVersion;
import com.pyerp.deployaction.scan.version.Pep440Order;
import java.util.Comparator;
import java.util.Locale;

/**
 * One installed package found in the image.
 *
 * @param sourceName the package OSV keys advisories on: Debian's {@code Source:}, Alpine's origin; the name itself
 *     for Python and for binary packages built from a source of the same name
 * @param sourceVersion the source version (Debian's {@code Source: name (version)}), else the version
 * @param layer the digest of the layer the package database or metadata file came from
 * @param path where in the image, without a leading slash
 */
public record Package(Type type, String name, String version, String sourceName, String sourceVersion, String purl,
        String layer, String path) {

    public enum Type {
        DEB("deb", DebianVersion.ORDER),
        APK("apk", ApkVersion.ORDER),
        PYPI("pypi", Pep440Order.ORDER);

        private final String purlType;
        private final Comparator<String> order;

        Type(String purlType, Comparator<String> order) {
            this.purlType = purlType;
            this.order = order;
        }

        public String purlType() {
            return purlType;
        }

        public Comparator<String> order() {
            return order;
        }

        /** PyPI names compare in their PEP 503 normal form; the others exactly. */
        public boolean sameName(String a, String b) {
            return this == PYPI ? normalizePython(a).equals(normalizePython(b)) : a.equals(b);
        }
    }

    /** PEP 503: lower case, every run of {@code -}, {@code _} and {@code .} one hyphen. */
    public static String normalizePython(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "-");
    }

    /** The ecosystem string OSV files this package's advisories under, for the image's OS release. */
    public String osvEcosystem(OsRelease os) {
        return switch (type) {
            case PYPI -> "PyPI";
            case DEB -> "Debian:" + os.majorVersion();
            case APK -> "Alpine:v" + os.minorVersion();
        };
    }
}
