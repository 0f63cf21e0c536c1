/**
 * What an image has installed: which of its files the scanner reads, the packages and OS release they describe
 * (dpkg, apk, Python distributions), and their package URLs.
 */
package com.pyerp.deployaction.scan.inventory;
