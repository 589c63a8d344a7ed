/**
 * RESP (the Redis serialization protocol, versions 2 and 3): the request parser a node's Redis port reads commands
 * with, the reply encoder it answers with, and the strict number and name helpers both use.
 */
package io.loomcache.protocol.resp;
