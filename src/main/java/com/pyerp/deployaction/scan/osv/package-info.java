/**
 * OSV: its records, where they come from (the API, or the offline export), and how they become findings: the one
 * evaluator decides which records affect a package, and the matcher merges records that name the same
 * vulnerability and rates it.
 */
package com.pyerp.deployaction.scan.osv;
