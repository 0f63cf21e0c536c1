/**
 * Faithful re-implementations of the JavaScript libraries and built-ins whose behaviour docker/metadata-action
 * depends on, quirks included: Handlebars 4.7 ({@link com.pyerp.deployaction.meta.js.Template}), moment.js with
 * moment-timezone ({@link com.pyerp.deployaction.meta.js.MomentFormat}), node-semver
 * ({@link com.pyerp.deployaction.meta.js.SemVer}), @renovate/pep440 ({@link com.pyerp.deployaction.meta.js.Pep440}),
 * {@code RegExp} ({@link com.pyerp.deployaction.meta.js.JsRegex}) and {@code String.localeCompare} on label keys
 * ({@link com.pyerp.deployaction.meta.js.LabelKeyOrder}); {@code JSON.stringify} is
 * {@link com.pyerp.deployaction.action.JsonWriter#javascript}, beside the image's JSON writing.
 *
 * <p>They are kept honest by tests against recorded outputs: the first four against what the real libraries print
 * under node ({@code src/test/resources/meta/*-oracle.jsonl}), all of them through the metadata stage's conformance
 * scenarios, recorded from metadata-action itself. A difference from those recordings is a bug here.
 *
 * <p>The metadata stage ({@code com.pyerp.deployaction.meta}) uses this package; this package imports none of it.
 */
package com.pyerp.deployaction.meta.js;
