/**
 * Tests of flag and duration parsing.
 */
package io.loomcache.loadgen.config;
