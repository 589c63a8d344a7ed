/**
 * The Redis port: RESP2/RESP3 commands translated into the node's map requests (served by the same executors and
 * store as the binary protocol), and their answers rendered back as Redis replies, in order.
 */
package io.loomcache.server.resp;
