/**
 * Load generator CLI: closed-loop pipelined and fixed-rate open-loop workloads against LoomCache or Redis, with the
 * command line, its validated {@link io.loomcache.loadgen.LoadGenContext} and the entry point.
 */
package io.loomcache.loadgen;
