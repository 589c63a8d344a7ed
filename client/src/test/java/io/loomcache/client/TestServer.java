package io.loomcache.client;

import io.loomcache.protocol.fake.FakeLoomServer;

/**
 * The protocol's {@link FakeLoomServer} with a client configuration pointing at it; a JUnit 5 extension, closed
 * after each test ({@code @RegisterExtension final TestServer server = new TestServer();}).
 */
public final class TestServer extends FakeLoomServer {
    public ClientContext context() {
        return new ClientContext().host("127.0.0.1").port(port()).requestTimeoutMs(5_000).connectTimeoutMs(5_000);
    }
}
