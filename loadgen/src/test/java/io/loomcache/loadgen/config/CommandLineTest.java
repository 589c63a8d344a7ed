package io.loomcache.loadgen.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.loomcache.loadgen.workload.KeyDistribution;
import io.loomcache.protocol.options.UsageException;

class CommandLineTest {
    @Test
    void shouldApplyTheDocumentedDefaults() throws UsageException {
        final LoadGenContext context = CommandLine.parse();
        assertEquals("127.0.0.1", context.host());
        assertEquals(7654, context.port());
        assertEquals(Protocol.LOOM, context.protocol());
        assertEquals(50, context.connections());
        assertEquals(16, context.pipeline());
        assertEquals(1_000_000L, context.keys());
        assertEquals(100, context.valueSize());
        assertEquals(0.8, context.readRatio());
        assertEquals(15_000_000_000L, context.durationNs());
        assertEquals(5_000_000_000L, context.warmupNs());
        assertEquals(LoadGenContext.NO_REQUEST_LIMIT, context.requests());
        assertEquals(0.0, context.rateOpsPerSec());
        assertEquals(1, context.threads());
        assertFalse(context.watermark());
        assertFalse(context.preload());
        assertNull(context.jsonFile());
    }

    @Test
    void shouldParseEveryFlagInBothForms() throws UsageException {
        final LoadGenContext context = CommandLine.parse("--host", "localhost", "--port=6380", "--protocol", "resp",
            "--connections", "8", "--pipeline=100", "--keys", "1_000", "--value-size", "32", "--read-ratio", "0.25",
            "--duration", "2m", "--warmup=500ms", "--rate", "50000", "--max-in-flight", "64", "--threads", "2",
            "--hgrm", "out.hgrm", "--json=out.json", "--seed", "-7", "--preload", "--quiet",
            "--connect-timeout", "1s");
        assertEquals("localhost", context.host());
        assertEquals(6380, context.port());
        assertEquals(Protocol.RESP, context.protocol());
        assertEquals(8, context.connections());
        assertEquals(100, context.pipeline());
        assertEquals(1000L, context.keys());
        assertEquals(32, context.valueSize());
        assertEquals(0.25, context.readRatio());
        assertEquals(120_000_000_000L, context.durationNs());
        assertEquals(500_000_000L, context.warmupNs());
        assertEquals(50_000.0, context.rateOpsPerSec());
        assertEquals(64, context.maxInFlight());
        assertEquals(2, context.threads());
        assertEquals(Path.of("out.hgrm"), context.hgrmFile());
        assertEquals(Path.of("out.json"), context.jsonFile());
        assertEquals(-7L, context.seed());
        assertTrue(context.preload());
        assertTrue(context.quiet());
        assertEquals(1_000_000_000L, context.connectTimeoutNs());
    }

    @Test
    void shouldDefaultThePortToTheProtocols() throws UsageException {
        assertEquals(6379, CommandLine.parse("--protocol", "resp").port());
        assertEquals(7654, CommandLine.parse("--protocol", "loom").port());
    }

    @Test
    void shouldRunRequestsWithoutWarmupAndWithALongDeadline() throws UsageException {
        final LoadGenContext context = CommandLine.parse("--requests", "20000");
        assertEquals(20_000L, context.requests());
        assertEquals(0L, context.warmupNs());
        assertEquals(LoadGenContext.DEFAULT_REQUESTS_DEADLINE_NS, context.durationNs());
        assertEquals(3_000_000_000L, CommandLine.parse("--requests", "5", "--duration", "3s").durationNs());
    }

    @Test
    void shouldParseTheWatermarkScenario() throws UsageException {
        final LoadGenContext context = CommandLine.parse("--scenario", "watermark", "--steps", "1000,5000,2500.5",
            "--step-duration", "10s");
        assertTrue(context.watermark());
        assertArrayEquals(new double[] {1000, 5000, 2500.5}, context.steps());
        assertEquals(10_000_000_000L, context.stepDurationNs());
        assertEquals(5_000_000_000L, context.warmupNs());
    }

    @Test
    void shouldRejectBadFlagsWithOneLineNamingTheFlag() {
        assertUsage("unknown flag --bogus", "--bogus", "1");
        assertUsage("--port needs a value", "--port");
        assertUsage("invalid --connections 'abc': not an integer", "--connections", "abc");
        assertUsage("invalid --port 70000: must be in 1..65535", "--port", "70000");
        assertUsage("invalid --read-ratio 1.5: must be in 0.0..1.0", "--read-ratio", "1.5");
        assertUsage("invalid --duration '15' is not a duration (use a unit: 500ms, 15s, 2m, 1h)", "--duration", "15");
        assertUsage("--protocol must be loom or resp, not 'http'", "--protocol", "http");
        assertUsage("--threads 4 is more than --connections 2", "--connections", "2", "--threads", "4");
        assertUsage("--scenario watermark is for --protocol loom only", "--scenario", "watermark", "--protocol",
            "resp");
        assertUsage("invalid --steps -5: must be a positive number", "--scenario", "watermark", "--steps", "100,-5");
        assertUsage("invalid --rate 0: must be a positive number", "--rate", "0");
        assertUsage("--preload takes no value", "--preload=yes");
        assertUsage("unexpected argument 'extra'", "extra");
        assertUsage("--duration 0 needs --requests N", "--duration", "0");
    }

    @Test
    void shouldTakeTheNodesOfAClusterInsteadOfHostAndPort() throws UsageException {
        final LoadGenContext context = CommandLine.parse("--nodes",
            "10.0.0.1:7654, [::1]:7655,loomcache-2@node-3:7656");

        assertEquals(List.of(new NodeAddress("10.0.0.1", 7654), new NodeAddress("::1", 7655),
            new NodeAddress("node-3", 7656)), context.nodes());
        assertEquals("10.0.0.1:7654,[::1]:7655,node-3:7656", context.target());
        assertEquals("10.0.0.1", context.host());
        assertEquals(7654, context.port());
        assertNull(CommandLine.parse("--port", "7000").nodes());
        assertEquals("127.0.0.1:7000", CommandLine.parse("--port", "7000").target());
        assertTrue(CommandLine.usage().contains("--nodes H:P,H:P,..."));
    }

    @Test
    void shouldRejectNodesThatAreNotHostAndPortOrThatComeWithHostPortOrResp() {
        assertUsage("invalid --nodes entry 'a': not host:port", "--nodes", "a");
        assertUsage("invalid --nodes entry '': not host:port", "--nodes", "a:1,,b:2");
        assertUsage("invalid --nodes entry 'a:0': needs a host and a port in 1..65535", "--nodes", "a:0");
        assertUsage("invalid --nodes entry 'a:x': the port is not a number", "--nodes", "a:x");
        assertUsage("--nodes replaces --host and --port: give one or the other", "--nodes", "a:1", "--port", "2");
        assertUsage("--nodes replaces --host and --port: give one or the other", "--host", "b", "--nodes", "a:1");
        assertUsage("--nodes is for --protocol loom only", "--nodes", "a:1", "--protocol", "resp");
    }

    @Test
    void shouldParseTheKeyDistributionsAndRejectParametersOfAnother() throws UsageException {
        assertEquals(KeyDistribution.DEFAULT, CommandLine.parse().keyDistribution());
        final KeyDistribution zipf = CommandLine.parse("--key-dist", "Zipfian", "--zipf-exponent", "1.2")
            .keyDistribution();
        assertEquals(KeyDistribution.ZIPFIAN, zipf.kind());
        assertEquals(1.2, zipf.zipfExponent());
        assertEquals(0.99, CommandLine.parse("--key-dist", "zipfian").keyDistribution().zipfExponent());
        final KeyDistribution hot = CommandLine.parse("--key-dist=hotspot", "--hot-keys", "0.1", "--hot-ops=0.9")
            .keyDistribution();
        assertEquals(new KeyDistribution(KeyDistribution.HOTSPOT, 0.99, 0.1, 0.9), hot);
        assertEquals(KeyDistribution.SEQUENTIAL, CommandLine.parse("--key-dist", "sequential").keyDistribution()
            .kind());
        assertTrue(CommandLine.parse("--key-dist", "hotspot").describe().contains(
            "key-dist=hotspot(80% of requests on 20% of keys)"));
        assertUsage("--key-dist must be uniform, zipfian, hotspot or sequential, not 'pareto'", "--key-dist",
            "pareto");
        assertUsage("--zipf-exponent applies to --key-dist zipfian only", "--zipf-exponent", "0.5");
        assertUsage("--hot-keys and --hot-ops apply to --key-dist hotspot only", "--key-dist", "zipfian",
            "--hot-ops", "0.5");
        assertUsage("invalid --hot-keys 1: must be more than 0 and less than 1", "--key-dist", "hotspot",
            "--hot-keys", "1");
        assertUsage("invalid --zipf-exponent 0: must be a positive number", "--key-dist", "zipfian",
            "--zipf-exponent", "0");
        assertUsage("invalid --zipf-exponent 101: must be at most 100", "--key-dist", "zipfian",
            "--zipf-exponent", "101");
    }

    @Test
    void shouldParseOperationMixesAndYcsbWorkloads() throws UsageException {
        assertEquals("get=80%,set=20%", CommandLine.parse().opMix().describe());
        assertEquals("get=60%,set=30%,del=10%", CommandLine.parse("--mix", "get=6,set=3,del=1").opMix().describe());
        final LoadGenContext a = CommandLine.parse("--workload", "A");
        assertEquals("get=50%,set=50%", a.opMix().describe());
        assertEquals(KeyDistribution.ZIPFIAN, a.keyDistribution().kind(), "YCSB draws keys by its Zipf law");
        assertTrue(a.describe().contains("workload=ycsb-a"), a.describe());
        assertEquals("get=50%,getset=50%", CommandLine.parse("--workload", "f").opMix().describe());
        assertEquals("get=100%", CommandLine.parse("--workload", "c").opMix().describe());
        assertEquals(KeyDistribution.UNIFORM, CommandLine.parse("--workload", "b", "--key-dist", "uniform")
            .keyDistribution().kind());
        assertEquals(1500, CommandLine.parse("--ttl", "1500ms").ttlMs());
        assertUsage("--ttl must be at least 1ms (Redis and LoomCache TTLs are milliseconds)", "--ttl", "500us");
        assertEquals(1024 * 1024, CommandLine.parse("--value-size", "1m").valueSize(), "the largest value fits a PUT");
        assertUsage("--value-size 1m: a request of cas (which carries the value twice) with a 1048576-byte value is "
            + "longer than the server's largest frame", "--value-size", "1m", "--mix", "get=1,cas=1");
        assertUsage("invalid --mix: 'put=1' is not op=weight with op one of get, set, del, setnx, setex, cas, "
            + "getset", "--mix", "get=1,put=1");
        assertUsage("invalid --mix: 'get=x': the weight is not a number", "--mix", "get=x");
        assertUsage("invalid --mix: the operation weights add up to 0", "--mix", "get=0");
        assertUsage("--mix gives every operation's share: give --read-ratio without it", "--mix", "get=1",
            "--read-ratio", "0.5");
        assertUsage("--workload sets the operations: give --mix or --read-ratio without it", "--workload", "a",
            "--mix", "get=1");
        assertUsage("--mix cas is for --protocol loom only: Redis has no compare-and-set command", "--protocol",
            "resp", "--mix", "get=1,cas=1");
        assertTrue(assertThrows(UsageException.class, () -> CommandLine.parse("--workload", "E")).getMessage()
            .startsWith("invalid --workload: YCSB workload E scans short key ranges"));
        assertTrue(assertThrows(UsageException.class, () -> CommandLine.parse("--workload", "D")).getMessage()
            .startsWith("invalid --workload: YCSB workload D reads the latest inserted keys"));
        assertUsage("invalid --workload: 'g' is not a YCSB core workload (A to F)", "--workload", "g");
    }

    @Test
    void shouldRejectMalformedSloObjectivesWithOneLineNamingThem() throws UsageException {
        assertTrue(CommandLine.parse("--slo", "p99=1ms, P99.99=5ms,mean=300us,max=1s,errors=0.1%,busy=3,"
            + "throughput=5e4").slo() != null);
        assertNull(CommandLine.parse().slo());
        assertUsage("invalid --slo objective 'p99': use name=bound, e.g. p99=1ms, errors=0, throughput=50000",
            "--slo", "p99");
        assertUsage("unknown --slo objective 'q99': use pNN (p50, p99.9, ...), mean, max, errors, busy or "
            + "throughput", "--slo", "q99=1ms");
        assertUsage("invalid --slo objective 'p101=1ms': the percentile must be more than 0 and at most 100",
            "--slo", "p101=1ms");
        assertUsage("invalid --slo objective 'p99=5': '5' is not a duration (use a unit: 500ms, 15s, 2m, 1h)",
            "--slo", "p99=5");
        assertUsage("invalid --slo objective 'errors=1.5': give a count (errors=0) or a share up to 100% "
            + "(errors=0.1%)", "--slo", "errors=1.5");
        assertUsage("invalid --slo objective 'throughput=x': 'x' is not a number", "--slo", "throughput=x");
        assertUsage("--slo applies to a measured phase, not to --scenario watermark's steps", "--scenario",
            "watermark", "--slo", "p99=1ms");
    }

    @Test
    void shouldRecogniseHelp() {
        assertTrue(CommandLine.wantsHelp("--port", "1", "--help"));
        assertTrue(CommandLine.wantsHelp("-h"));
        assertFalse(CommandLine.wantsHelp("--port", "1"));
        assertTrue(CommandLine.usage().contains("--scenario watermark"));
    }

    private static void assertUsage(final String message, final String... args) {
        final UsageException ex = assertThrows(UsageException.class, () -> CommandLine.parse(args));
        assertEquals(message, ex.getMessage());
        assertFalse(ex.getMessage().contains("\n"));
    }
}
