/**
 * Wire codecs of the load generator: pre-encoded request templates and allocation-free response decoding for the
 * LoomCache binary protocol and for RESP (Redis).
 */
package io.loomcache.loadgen.wire;
