/**
 * Load generator: closed-loop pipelined and fixed-rate open-loop workloads against LoomCache or Redis.
 */
package io.loomcache.loadgen;
