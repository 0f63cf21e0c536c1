package com.pyerp.deployaction.config;

/** What the build stage needs: the build definition (build file with the inputs on top) and the registry settings. */
public record BuildSettings(BuildSpec spec, RegistrySettings registry) {}
