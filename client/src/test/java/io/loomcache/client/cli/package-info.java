/**
 * Tests of the command-line client: parsing, output and exit codes in process, and the shaded jar as a process.
 */
package io.loomcache.client.cli;
