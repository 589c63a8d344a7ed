/**
 * Helpers shared by the tests of every module: allocation measured per window of work, and the command line of a
 * child JVM started with the project's jvm.args. Used as a test-scope dependency only.
 */
package io.loomcache.testkit;
