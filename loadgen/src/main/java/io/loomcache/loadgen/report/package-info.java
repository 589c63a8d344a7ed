/**
 * Output of a run: the progress line, the text summary, the watermark table, and the .hgrm and JSON files.
 */
package io.loomcache.loadgen.report;
