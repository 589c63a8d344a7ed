package io.loomcache.jmh;

import java.util.concurrent.TimeUnit;

import io.loomcache.protocol.FrameDecoder;
import io.loomcache.protocol.FrameHandler;
import io.loomcache.protocol.MapRequestDecoder;
import io.loomcache.protocol.MapRequestEncoder;
import io.loomcache.protocol.Opcodes;
import io.loomcache.protocol.ProtocolLimits;
import io.loomcache.protocol.ResponseDecoder;
import io.loomcache.protocol.ResponseEncoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encode and decode of MAP_PUT / MAP_GET frames and their responses, and the frame decoder cutting a pipelined
 * stream of 64 frames delivered in socket-sized chunks. Run with {@code -prof gc}: every benchmark here must show a
 * {@code gc.alloc.rate.norm} of 0 B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FrameCodecBenchmark implements FrameHandler {
    private static final int KEY_LENGTH = 16;
    private static final int PIPELINE_FRAMES = 64;
    private static final int MAP_ID = 1;

    /** Value bytes per MAP_PUT. */
    @Param({"100"})
    public int valueLength;

    /** Bytes handed to the frame decoder per call, as a socket read would return them. */
    @Param({"1460", "65536"})
    public int chunkLength;

    private final UnsafeBuffer key = new UnsafeBuffer(new byte[KEY_LENGTH]);
    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[4096]);
    private final UnsafeBuffer response = new UnsafeBuffer(new byte[4096]);
    private final MapRequestEncoder requestEncoder = new MapRequestEncoder();
    private final MapRequestDecoder requestDecoder = new MapRequestDecoder(ProtocolLimits.DEFAULTS);
    private final ResponseEncoder responseEncoder = new ResponseEncoder();
    private final ResponseDecoder responseDecoder = new ResponseDecoder(ProtocolLimits.DEFAULTS);
    private UnsafeBuffer value;
    private UnsafeBuffer stream;
    private int streamLength;
    private FrameDecoder frameDecoder;
    private long correlationId;
    private long checksum;

    /** Prepares the key, value and a stream of pipelined MAP_PUT frames. */
    @Setup
    public void setUp() {
        for (int i = 0; i < KEY_LENGTH; i++) {
            key.putByte(i, (byte)('k' + i));
        }
        value = new UnsafeBuffer(new byte[valueLength]);
        for (int i = 0; i < valueLength; i++) {
            value.putByte(i, (byte)i);
        }
        stream = new UnsafeBuffer(new byte[PIPELINE_FRAMES * 4096]);
        int position = 0;
        for (int i = 0; i < PIPELINE_FRAMES; i++) {
            position += requestEncoder.wrap(stream, position)
                .request(Opcodes.MAP_PUT, i, MAP_ID)
                .ttlMs(0)
                .key(key, 0, KEY_LENGTH)
                .value(value, 0, valueLength)
                .frameLength();
        }
        streamLength = position;
        frameDecoder = new FrameDecoder(ProtocolLimits.DEFAULTS, this);
    }

    /**
     * Encodes one MAP_PUT request frame (16-byte key, value of {@code valueLength}).
     *
     * @return the frame length.
     */
    @Benchmark
    public int encodeMapPut() {
        return requestEncoder.wrap(frame, 0)
            .request(Opcodes.MAP_PUT, ++correlationId, MAP_ID)
            .ttlMs(0)
            .key(key, 0, KEY_LENGTH)
            .value(value, 0, valueLength)
            .frameLength();
    }

    /**
     * Decodes and validates one MAP_PUT request frame, reading the key and value views.
     *
     * @return a figure derived from the views so the decode is not eliminated.
     */
    @Benchmark
    public int decodeMapPut() {
        final int length = encodeMapPut();
        requestDecoder.wrap(frame, 0, length);
        return requestDecoder.keyOffset() + requestDecoder.valueLength() + requestDecoder.mapId();
    }

    /**
     * Encodes one MAP_GET request and the VALUE response to it, then decodes the response.
     *
     * @return a figure derived from the decoded response.
     */
    @Benchmark
    public int getRoundTripCodec() {
        requestEncoder.wrap(frame, 0)
            .request(Opcodes.MAP_GET, ++correlationId, MAP_ID)
            .key(key, 0, KEY_LENGTH)
            .frameLength();
        final int length = responseEncoder.wrap(response, 0).value(correlationId, value, 0, valueLength);
        responseDecoder.wrap(response, 0, length);
        return responseDecoder.opcode() + length;
    }

    /**
     * Cuts a pipelined stream of 64 MAP_PUT frames fed in chunks of {@code chunkLength} bytes, decoding each
     * frame's request; the figure is per stream, so divide by 64 for the cost per frame.
     *
     * @return the number of frames delivered.
     */
    @Benchmark
    public long frameDecoderPipelinedStream() {
        long frames = 0;
        for (int position = 0; position < streamLength; position += chunkLength) {
            frames += frameDecoder.onBytes(stream, position, Math.min(chunkLength, streamLength - position));
        }
        return frames + checksum;
    }

    @Override
    public void onFrame(final DirectBuffer buffer, final int offset, final int length) {
        requestDecoder.wrap(buffer, offset, length);
        checksum += requestDecoder.valueLength();
    }
}
