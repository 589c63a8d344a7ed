/**
 * Tests of the setting table, its parsers and the configuration precedence.
 */
package io.loomcache.server.config;
