/**
 * The records one stage hands to the next, so that the stages (meta, image, scan, deploy, server) need not import
 * each other: any stage may import this package, and it imports none of them.
 */
package com.pyerp.deployaction.results;
