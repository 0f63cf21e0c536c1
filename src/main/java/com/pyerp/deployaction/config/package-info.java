/**
 * The configuration layer: inputs read once, validated, and turned into settings records for the stages. Today it
 * holds the pipeline's switches; the stages' own settings are to follow it here.
 */
package com.pyerp.deployaction.config;
