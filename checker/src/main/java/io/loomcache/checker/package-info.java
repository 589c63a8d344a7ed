/**
 * Wing–Gong/Lowe linearizability checking of key-value register histories (read, write, compare-and-set, operations
 * of unknown outcome): {@link io.loomcache.checker.History} records or parses a history,
 * {@link io.loomcache.checker.LinearizabilityChecker} decides it key by key, {@code CheckHistoryMain} is the command.
 */
package io.loomcache.checker;
