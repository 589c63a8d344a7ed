package io.loomcache.loadgen.config;

/**
 * The wire protocol a run speaks, with its conventional default port.
 */
public enum Protocol {
    /** The LoomCache binary protocol: MAP_GET / MAP_PUT on map 0 after a HELLO. */
    LOOM(7654),
    /** RESP, the Redis protocol: GET / SET. */
    RESP(6379);

    private final int defaultPort;

    Protocol(final int defaultPort) {
        this.defaultPort = defaultPort;
    }

    /**
     * The port used when {@code --port} is not given.
     *
     * @return the port.
     */
    public int defaultPort() {
        return defaultPort;
    }
}
