/**
 * Debian's archive formats, for any stage: version order, control paragraphs (Packages, Release, dpkg's status),
 * package relations, the signed Release files and their hashes, and the resolution of a package set. Pure apart
 * from the readers it is handed; imports no stage.
 */
package com.pyerp.deployaction.debian;
