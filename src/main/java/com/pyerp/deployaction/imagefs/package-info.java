/**
 * An image's files read from its layers, for any stage that looks inside an image: the image sources (a
 * {@code docker save} or OCI layout tar, or a registry), each layer streamed once with the files the caller wants
 * kept, and the layers folded with OCI whiteouts into one file system. Nothing here knows what a stage does with
 * the files; it imports no stage.
 */
package com.pyerp.deployaction.imagefs;
