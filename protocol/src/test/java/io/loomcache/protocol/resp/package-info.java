/**
 * Tests of the RESP request parser, numbers and reply encoder: Redis's behaviour case by case, commands cut at any
 * chunk boundary, arbitrary bytes, and the fuzz target with its regression corpus.
 */
package io.loomcache.protocol.resp;
