/**
 * The system-packages stage (under construction, issue 15): Debian packages resolved against the configured
 * suites, verified from the signed Release files down to each {@code .deb}, and laid into one layer above the base.
 * Today it reads and verifies the suites' indexes ({@link com.pyerp.deployaction.system.SuiteIndexes}).
 */
package com.pyerp.deployaction.system;
