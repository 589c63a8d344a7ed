/**
 * Tests of the linearizability checker: hand-made histories, the Jepsen etcd corpus with known verdicts, property
 * tests over generated linearizable histories, the Jepsen format and the command.
 */
package io.loomcache.checker;
