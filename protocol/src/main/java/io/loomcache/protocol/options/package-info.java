/**
 * What an operator types, parsed the same way by the node, the CLI and the load generator: durations and sizes
 * ({@link io.loomcache.protocol.options.Units}), command-line words ({@link io.loomcache.protocol.options.FlagCursor})
 * and the usage error they raise. Configuration time only: nothing here is on a hot path.
 */
package io.loomcache.protocol.options;
