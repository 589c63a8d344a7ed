/**
 * Helpers shared by the tests of every module, as aeron-test-support is to Aeron: awaiting a condition, an extension
 * that closes what a test started, the one policy for missing machine prerequisites, allocation per window of work,
 * and child-JVM command lines. Used as a test-scope dependency only.
 */
package io.loomcache.testkit;
