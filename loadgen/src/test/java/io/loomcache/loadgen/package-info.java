/**
 * End-to-end tests of the load generator CLI: exit codes, reports, Redis integration.
 */
package io.loomcache.loadgen;
