/**
 * The configuration layer: the only reader of the action's inputs ({@link com.pyerp.deployaction.config.Inputs}),
 * the build file and the deploy-config file. {@link com.pyerp.deployaction.config.Configuration} reads and checks
 * each part of the run once and hands each stage one immutable settings record: the pipeline's switches, the
 * metadata, build, system-packages, scan and deploy settings, and the setup-server settings, with an enum for every
 * choice.
 */
package com.pyerp.deployaction.config;
