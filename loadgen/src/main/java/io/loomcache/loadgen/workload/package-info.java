/**
 * What a run asks for: the laws its keys are drawn by ({@link io.loomcache.loadgen.workload.KeyDistribution},
 * {@link io.loomcache.loadgen.workload.KeyChooser}).
 */
package io.loomcache.loadgen.workload;
