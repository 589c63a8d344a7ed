/** Tests of the key laws: each distribution's shape against its law. */
package io.loomcache.loadgen.workload;
