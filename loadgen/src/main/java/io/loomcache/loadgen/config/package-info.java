/**
 * Configuration of a load generator run: the command line, duration parsing, and the validated, immutable
 * {@link io.loomcache.loadgen.config.LoadGenContext}.
 */
package io.loomcache.loadgen.config;
