/**
 * Tests of the shared operator-input grammar: every input the node's, the CLI's and the load generator's former
 * parsers accepted or refused, and the format/parse round trip over fixed seeds.
 */
package io.loomcache.protocol.options;
