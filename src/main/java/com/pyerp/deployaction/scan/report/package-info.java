/** What a scan writes about an image: the SARIF for code scanning, the CycloneDX SBOM, and the table. */
package com.pyerp.deployaction.scan.report;
