/** The ecosystems' version orders (apk, PEP 440; dpkg's is debian.DebianVersion), by which OSV ranges are evaluated. */
package com.pyerp.deployaction.scan.version;
