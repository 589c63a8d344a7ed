/**
 * Tests of the LoomCache and RESP codecs: exact bytes, outcomes, replies split at every byte.
 */
package io.loomcache.loadgen.wire;
