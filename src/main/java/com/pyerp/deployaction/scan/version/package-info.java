/** The ecosystems' version orders (dpkg, apk, PEP 440), by which OSV ranges are evaluated. */
package com.pyerp.deployaction.scan.version;
