/**
 * The replicated cluster: who the members are ({@link io.loomcache.server.cluster.ClusterMembers}) and the links
 * that carry Raft frames to them ({@link io.loomcache.server.cluster.PeerLinks}).
 */
package io.loomcache.server.cluster;
