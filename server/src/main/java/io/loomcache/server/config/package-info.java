/**
 * Node configuration: the {@link io.loomcache.server.config.Setting} table (the single source of every flag,
 * environment variable, file key and default), its parsers, the loader and the validated {@code ServerContext}.
 */
package io.loomcache.server.config;
