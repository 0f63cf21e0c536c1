/**
 * The system-packages stage (under construction, issue 15): Debian packages resolved against the configured
 * suites, verified from the signed Release files down to each {@code .deb}, and laid into one layer above the base.
 * Its parts work and are tested (indexes, downloads, the layer); it is not yet wired into the build.
 */
package com.pyerp.deployaction.system;
