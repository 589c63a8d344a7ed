/**
 * The command-line client {@code scripts/cli}: one-shot commands and an interactive prompt, as redis-cli, over the
 * blocking Java client.
 */
package io.loomcache.client.cli;
