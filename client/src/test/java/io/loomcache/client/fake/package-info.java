/**
 * A fake LoomCache cluster node (redirects, elections, errors) for the client's and the load generator's tests,
 * shipped in the client's test-jar.
 */
package io.loomcache.client.fake;
