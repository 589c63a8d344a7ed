package io.loomcache.server.resp;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.agrona.concurrent.UnsafeBuffer;

import io.loomcache.protocol.MapRequestEncoder;
import io.loomcache.protocol.Opcodes;
import io.loomcache.protocol.ProtocolLimits;
import io.loomcache.protocol.ErrorCode;
import io.loomcache.protocol.resp.RespNumbers;
import io.loomcache.protocol.resp.RespReplyEncoder;
import io.loomcache.protocol.resp.RespRequestParser;
import io.loomcache.server.config.ServerContext;
import io.loomcache.server.connection.Connection;
import io.loomcache.server.connection.ConnectionServices;
import io.loomcache.server.executor.ExecutorGroup;
import io.loomcache.store.StoreCounters;

/**
 * The Redis commands a node answers without its store: connection state (HELLO, AUTH, SELECT, CLIENT, QUIT,
 * RESET), introspection (COMMAND, CONFIG, INFO) and the ones it refuses with a clear error (DEBUG). These are rare
 * next to the commands on keys, so they may allocate (INFO builds its text). Reader thread only.
 */
final class RespServerCommands {
    /** The Redis version the port presents itself as (clients choose features by it). */
    static final String REDIS_VERSION = "7.2.0";
    private static final byte[] PONG = RespErrors.ascii("PONG");
    private static final byte[] OK = RespErrors.ascii("OK");
    private static final byte[] RESET_REPLY = RespErrors.ascii("RESET");
    private static final long STARTED_MS = System.currentTimeMillis();

    private static final byte[] DOCS_REFUSED = RespErrors.ascii("ERR COMMAND DOCS is not served by LoomCache " +
        "(the commands follow Redis 7's documentation; see the README's Redis section for what differs)");
    private final RespAdapter adapter;
    private final ConnectionServices services;
    private final ServerContext context;
    private final RespCommands commands;
    private final ProtocolLimits limits;
    private final RespClusterCommands cluster;
    private String clientName;
    private String libName = "";
    private String libVersion = "";
    private final long connectedMs = System.currentTimeMillis();

    RespServerCommands(final RespAdapter adapter, final ConnectionServices services, final RespCommands commands) {
        this.adapter = adapter;
        this.services = services;
        this.context = services.context();
        this.commands = commands;
        this.limits = context.protocolLimits();
        this.cluster = new RespClusterCommands(context, services.executors());
    }

    void execute(final RespCommand command, final RespRequestParser args) {
        switch (command) {
            case PING -> {
                if (commands.pubSub().ping(args)) {
                    return;
                }
                ping(args);
            }
            case ECHO -> reply().bulk(args.buffer(), args.argOffset(1), args.argLength(1));
            case HELLO -> hello(args);
            case AUTH -> auth(args);
            case SELECT -> select(args);
            case CLIENT -> client(args);
            case QUIT -> {
                adapter.endSubscriptions();
                reply().simple(OK);
                adapter.endReply();
                adapter.closeAfterReplies();
                return;
            }
            case RESET -> {
                commands.pubSub().reset();
                adapter.resp3(false);
                clientName = null;
                reply().simple(RESET_REPLY);
            }
            case COMMAND -> command(args);
            case CONFIG -> config(args);
            case INFO -> info(args);
            case FUNCTION -> function(args);
            case CLUSTER -> cluster.execute(args, reply());
            case READONLY, READWRITE, ASKING -> {
                if (context.members() == null) {
                    reply().error(RespClusterCommands.disabled());
                } else {
                    reply().simple(OK);
                }
            }
            case DEBUG -> reply().error(RespErrors.ascii("ERR DEBUG is not supported by LoomCache"));
            default -> reply().error(RespErrors.ascii("ERR '" + command.lowerName() + "' is not served here"));
        }
        adapter.endReply();
    }

    void unknownCommand(final RespRequestParser args) {
        final StringBuilder text = new StringBuilder("ERR unknown command '")
            .append(printable(args, 0)).append("', with args beginning with: ");
        for (int i = 1; i < args.argCount() && text.length() < 256; i++) {
            text.append('\'').append(printable(args, i)).append("' ");
        }
        reply().error(RespErrors.ascii(text.toString()));
        adapter.endReply();
    }

    /**
     * A key of each Raft group this cluster member serves ({@link RespClusterCommands#servedGroupKeys()}).
     *
     * @return the keys.
     */
    List<UnsafeBuffer> servedGroupKeys() {
        return cluster.servedGroupKeys();
    }

    /** Whether a key (and value) fit the node's limits; else the error reply is written. */
    boolean fits(final RespRequestParser args, final int keyArg, final int valueArg) {
        final int check = MapRequestEncoder.check(limits, Opcodes.MAP_PUT, args.argLength(keyArg),
            0, valueArg < 0 ? 0 : args.argLength(valueArg));
        if (check == ErrorCode.NONE) {
            return true;
        }
        commands.errors().write(reply(), check, null, 0, 0);
        adapter.endReply();
        return false;
    }

    boolean isAsyncOrSync(final RespRequestParser args, final int index) {
        final String word = text(args, index).toUpperCase(Locale.ROOT);
        return word.equals("ASYNC") || word.equals("SYNC");
    }

    private RespReplyEncoder reply() {
        return adapter.beginReply();
    }

    private void ping(final RespRequestParser args) {
        if (args.argCount() > 2) {
            reply().error(RespErrors.ascii("ERR wrong number of arguments for 'ping' command"));
        } else if (args.argCount() == 2) {
            reply().bulk(args.buffer(), args.argOffset(1), args.argLength(1));
        } else {
            reply().simple(PONG);
        }
    }

    /** HELLO [protover [AUTH username password] [SETNAME clientname]]. */
    private void hello(final RespRequestParser args) {
        int version = adapter.protocolVersion();
        int i = 1;
        if (args.argCount() > 1) {
            final long asked = RespNumbers.parseLong(args.buffer(), args.argOffset(1), args.argLength(1), -1);
            if (asked < 0) {
                reply().error(RespErrors.ascii("ERR Protocol version is not an integer or out of range"));
                return;
            }
            if (asked != 2 && asked != 3) {
                reply().error(RespErrors.ascii("NOPROTO unsupported protocol version"));
                return;
            }
            version = (int)asked;
            i = 2;
        }
        String name = null;
        for (; i < args.argCount(); i++) {
            final String option = text(args, i).toUpperCase(Locale.ROOT);
            if (option.equals("AUTH") && i + 2 < args.argCount()) {
                if (!authenticates(text(args, i + 1))) {
                    reply().error(RespErrors.ascii("WRONGPASS invalid username-password pair or user is disabled."));
                    return;
                }
                i += 2;
            } else if (option.equals("SETNAME") && i + 1 < args.argCount()) {
                name = text(args, ++i);
                if (!validName(name)) {
                    reply().error(RespErrors.ascii("ERR Client names cannot contain spaces, newlines or special " +
                        "characters."));
                    return;
                }
            } else {
                reply().error(RespErrors.ascii("ERR Syntax error in HELLO option '" + text(args, i) + "'"));
                return;
            }
        }
        if (name != null) {
            clientName = name;
        }
        adapter.resp3(version == 3);
        final RespReplyEncoder out = reply();
        out.map(7);
        out.bulk(bytes("server")).bulk(bytes("redis"));
        out.bulk(bytes("version")).bulk(bytes(REDIS_VERSION));
        out.bulk(bytes("proto")).integer(version);
        out.bulk(bytes("id")).integer(adapter.connection().id());
        out.bulk(bytes("mode")).bulk(bytes(context.members() == null ? "standalone" : "cluster"));
        out.bulk(bytes("role")).bulk(bytes("master"));
        out.bulk(bytes("modules")).array(0);
    }

    /** The node has no users yet: like Redis's default user without a password, any password of "default" works. */
    private static boolean authenticates(final String user) {
        return user.equals("default");
    }

    private void auth(final RespRequestParser args) {
        if (args.argCount() == 2) {
            reply().error(RespErrors.ascii("ERR AUTH <password> called without any password configured for the " +
                "default user. Are you sure your configuration is correct?"));
        } else if (args.argCount() == 3 && authenticates(text(args, 1))) {
            reply().simple(OK);
        } else if (args.argCount() == 3) {
            reply().error(RespErrors.ascii("WRONGPASS invalid username-password pair or user is disabled."));
        } else {
            reply().error(RespErrors.ascii("ERR syntax error"));
        }
    }

    private void select(final RespRequestParser args) {
        final long index = RespNumbers.parseLong(args.buffer(), args.argOffset(1), args.argLength(1), -1);
        if (index == 0) {
            reply().simple(OK);
        } else if (index < 0 && !text(args, 1).startsWith("-")) {
            reply().error(RespErrors.ascii("ERR value is not an integer or out of range"));
        } else {
            reply().error(RespErrors.ascii("ERR DB index is out of range"));
        }
    }

    private void client(final RespRequestParser args) {
        final String sub = text(args, 1).toUpperCase(Locale.ROOT);
        final int count = args.argCount();
        switch (sub) {
            case "SETNAME" -> {
                if (count != 3) {
                    wrongArgs("client|setname");
                } else if (!validName(text(args, 2))) {
                    reply().error(RespErrors.ascii("ERR Client names cannot contain spaces, newlines or special " +
                        "characters."));
                } else {
                    clientName = text(args, 2).isEmpty() ? null : text(args, 2);
                    reply().simple(OK);
                }
            }
            case "GETNAME" -> {
                if (clientName == null) {
                    reply().nullBulk();
                } else {
                    reply().bulk(bytes(clientName));
                }
            }
            case "ID" -> reply().integer(adapter.connection().id());
            case "SETINFO" -> setinfo(args);
            case "INFO" -> reply().bulk(bytes(clientLine(adapter.connection(), true) + "\n"));
            case "LIST" -> reply().bulk(bytes(clientList()));
            case "NO-EVICT", "NO-TOUCH" -> reply().simple(OK);
            case "TRACKING", "CACHING", "GETREDIR", "TRACKINGINFO" -> reply().error(RespErrors.ascii(
                "ERR CLIENT " + sub + " is not supported by LoomCache yet (no client-side caching over RESP)"));
            default -> reply().error(RespErrors.ascii("ERR unknown subcommand '" + text(args, 1) +
                "'. Try CLIENT HELP."));
        }
    }

    private void setinfo(final RespRequestParser args) {
        if (args.argCount() != 4) {
            wrongArgs("client|setinfo");
            return;
        }
        final String attribute = text(args, 2).toUpperCase(Locale.ROOT);
        final String value = text(args, 3);
        if (!validName(value)) {
            reply().error(RespErrors.ascii("ERR " + attribute.toLowerCase(Locale.ROOT) + " cannot contain spaces, " +
                "newlines or special characters."));
        } else if (attribute.equals("LIB-NAME")) {
            libName = value;
            reply().simple(OK);
        } else if (attribute.equals("LIB-VER")) {
            libVersion = value;
            reply().simple(OK);
        } else {
            reply().error(RespErrors.ascii("ERR Unrecognized option '" + text(args, 2) + "'"));
        }
    }

    private String clientList() {
        final StringBuilder list = new StringBuilder();
        for (int slot = 0, bound = services.registry().slotBound(); slot < bound; slot++) {
            final Connection other = services.registry().at(slot);
            if (other != null && other.state() == Connection.OPEN) {
                list.append(clientLine(other, other == adapter.connection())).append('\n');
            }
        }
        return list.toString();
    }

    private String clientLine(final Connection connection, final boolean self) {
        final long ageSeconds = (System.currentTimeMillis() - connectedMs) / 1000;
        return "id=" + connection.id() + " addr=" + connection.remoteAddress().getHostAddress() + ":0" +
            " laddr=" + context.bindAddress() + ":" + context.respPort() + " fd=-1 name=" +
            (self && clientName != null ? clientName : "") + " age=" + (self ? ageSeconds : 0) + " idle=0 flags=" +
            (self && adapter.subscribed() ? "P" : "N") + " db=0 sub=" + (self ? subscriptions(false) : 0) + " psub=" +
            (self ? subscriptions(true) : 0) + " ssub=0 multi=-1 watch=0 qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 " +
            "rbs=0 rbp=0 obl=0 oll=0 omem=0 tot-mem=0 events=r cmd=" + (self ? "client|list" : "NULL") +
            " user=default redir=-1 resp=" +
            (self ? adapter.protocolVersion() : 2) + " lib-name=" + (self ? libName : "") + " lib-ver=" +
            (self ? libVersion : "");
    }

    private int subscriptions(final boolean patterns) {
        if (!adapter.subscribed()) {
            return 0;
        }
        return patterns ? adapter.subscriber().patternCount() : adapter.subscriber().channelCount();
    }

    private void command(final RespRequestParser args) {
        if (args.argCount() == 1) {
            final RespReplyEncoder out = reply().array(RespCommand.values().length);
            for (final RespCommand command : RespCommand.values()) {
                commandInfo(out, command);
            }
            return;
        }
        final String sub = text(args, 1).toUpperCase(Locale.ROOT);
        switch (sub) {
            case "COUNT" -> reply().integer(RespCommand.values().length);
            case "INFO" -> {
                final RespReplyEncoder out = reply().array(args.argCount() - 2);
                for (int i = 2; i < args.argCount(); i++) {
                    final RespCommand command = RespCommand.lookup(args.buffer(), args.argOffset(i),
                        args.argLength(i));
                    if (command == null) {
                        out.nullArray();
                    } else {
                        commandInfo(out, command);
                    }
                }
            }
            // an error, not an empty map: redis-cli then takes the help and hints of its own command table
            // (Redis's, which the port follows); an empty map would leave it none
            case "DOCS" -> reply().error(DOCS_REFUSED);
            case "LIST" -> {
                final RespReplyEncoder out = reply().array(RespCommand.values().length);
                for (final RespCommand command : RespCommand.values()) {
                    out.bulk(command.lowerNameBytes());
                }
            }
            default -> reply().error(RespErrors.ascii("ERR unknown subcommand '" + text(args, 1) +
                "'. Try COMMAND HELP."));
        }
    }

    private static void commandInfo(final RespReplyEncoder out, final RespCommand command) {
        out.array(10);
        out.bulk(command.lowerNameBytes());
        out.integer(command.arity());
        final String[] flags = command.flags().split(" ");
        out.set(flags.length);
        for (final String flag : flags) {
            out.simple(bytes(flag));
        }
        out.integer(command.firstKey()).integer(command.lastKey()).integer(command.keyStep());
        out.set(0).set(0).array(0).array(0);
    }

    private void config(final RespRequestParser args) {
        final String sub = text(args, 1).toUpperCase(Locale.ROOT);
        switch (sub) {
            case "GET" -> {
                if (args.argCount() < 3) {
                    wrongArgs("config|get");
                    return;
                }
                final Map<String, String> all = configValues();
                final Map<String, String> matched = new LinkedHashMap<>();
                for (int i = 2; i < args.argCount(); i++) {
                    final String pattern = text(args, i).toLowerCase(Locale.ROOT);
                    all.forEach((name, value) -> {
                        if (glob(pattern, 0, name, 0)) {
                            matched.put(name, value);
                        }
                    });
                }
                final RespReplyEncoder out = reply().map(matched.size());
                matched.forEach((name, value) -> out.bulk(bytes(name)).bulk(bytes(value)));
            }
            case "SET" -> reply().error(RespErrors.ascii("ERR CONFIG SET is not supported by LoomCache: its " +
                "settings are fixed at start (see scripts/node --help); restart the node with the new value"));
            case "RESETSTAT" -> reply().simple(OK);
            case "REWRITE" -> reply().error(RespErrors.ascii("ERR CONFIG REWRITE is not supported by LoomCache: " +
                "settings come from flags, LOOMCACHE_* variables and --config files"));
            default -> reply().error(RespErrors.ascii("ERR unknown subcommand '" + text(args, 1) +
                "'. Try CONFIG HELP."));
        }
    }

    /** The settings a Redis client or tool probes, under Redis's names, with the node's values. */
    private Map<String, String> configValues() {
        final Map<String, String> values = new LinkedHashMap<>();
        values.put("maxmemory", Long.toString(context.maxMemoryBytes()));
        values.put("maxmemory-policy", switch (context.eviction()) {
            case NONE -> "noeviction";
            case LFU -> "allkeys-lfu";
            default -> "allkeys-lru";
        });
        values.put("maxclients", Integer.toString(context.maxConnections()));
        values.put("timeout", Long.toString(context.readTimeoutMs() / 1000));
        values.put("databases", "1");
        values.put("port", Integer.toString(context.respPort()));
        values.put("bind", context.bindAddress());
        values.put("save", "");
        values.put("appendonly", context.persistenceEnabled() ? "yes" : "no");
        values.put("appendfsync", switch (context.walFsync()) {
            case BATCH -> "always";
            case INTERVAL -> "everysec";
            default -> "no";
        });
        values.put("proto-max-bulk-len", Integer.toString(context.protocolLimits().maxValueLength()));
        values.put("cluster-enabled", context.members() == null ? "no" : "yes");
        values.put("tcp-keepalive", "0");
        return values;
    }

    private void info(final RespRequestParser args) {
        final List<String> wanted = new ArrayList<>();
        for (int i = 1; i < args.argCount(); i++) {
            wanted.add(text(args, i).toLowerCase(Locale.ROOT));
        }
        final boolean all = wanted.isEmpty() || wanted.contains("all") || wanted.contains("everything") ||
            wanted.contains("default");
        final StringBuilder text = new StringBuilder();
        final long uptimeSeconds = (System.currentTimeMillis() - STARTED_MS) / 1000;
        if (all || wanted.contains("server")) {
            text.append("# Server\r\nredis_version:").append(REDIS_VERSION).append("\r\nloomcache_node:")
                .append(context.nodeName()).append("\r\nredis_mode:")
                .append(context.members() == null ? "standalone" : "cluster").append("\r\nos:")
                .append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version"))
                .append("\r\narch_bits:64\r\nprocess_id:").append(ProcessHandle.current().pid())
                .append("\r\ntcp_port:").append(context.respPort()).append("\r\nuptime_in_seconds:")
                .append(uptimeSeconds).append("\r\nuptime_in_days:").append(uptimeSeconds / 86_400)
                .append("\r\nexecutable:java\r\n\r\n");
        }
        if (all || wanted.contains("clients")) {
            text.append("# Clients\r\nconnected_clients:").append(services.registry().count())
                .append("\r\nmaxclients:").append(context.maxConnections()).append("\r\n\r\n");
        }
        final ExecutorGroup executors = services.executors();
        long used = 0;
        long keys = 0;
        long hits = 0;
        long misses = 0;
        long expired = 0;
        long evicted = 0;
        for (int i = 0; i < executors.count(); i++) {
            final StoreCounters counters = executors.agent(i).counters();
            used += counters.usedBytes();
            keys += counters.size();
            hits += counters.hits();
            misses += counters.misses();
            expired += counters.expirations();
            evicted += counters.evictions();
        }
        if (all || wanted.contains("memory")) {
            text.append("# Memory\r\nused_memory:").append(used).append("\r\nused_memory_heap:")
                .append(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed())
                .append("\r\nmaxmemory:").append(context.maxMemoryBytes()).append("\r\nmaxmemory_policy:")
                .append(configValues().get("maxmemory-policy")).append("\r\n\r\n");
        }
        if (all || wanted.contains("persistence")) {
            text.append("# Persistence\r\nloading:0\r\naof_enabled:").append(context.persistenceEnabled() ? 1 : 0)
                .append("\r\nrdb_changes_since_last_save:0\r\n\r\n");
        }
        if (all || wanted.contains("stats")) {
            text.append("# Stats\r\nkeyspace_hits:").append(hits).append("\r\nkeyspace_misses:").append(misses)
                .append("\r\nexpired_keys:").append(expired).append("\r\nevicted_keys:").append(evicted)
                .append("\r\npubsub_channels:").append(adapter.pubSub().channelCount())
                .append("\r\npubsub_patterns:").append(adapter.pubSub().patterns()).append("\r\n\r\n");
        }
        if (all || wanted.contains("replication")) {
            text.append("# Replication\r\nrole:master\r\nconnected_slaves:0\r\n\r\n");
        }
        if (all || wanted.contains("keyspace")) {
            text.append("# Keyspace\r\n");
            if (keys > 0) {
                text.append("db0:keys=").append(keys).append(",expires=0,avg_ttl=0\r\n");
            }
        }
        reply().bulk(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    private void function(final RespRequestParser args) {
        final String sub = text(args, 1).toUpperCase(Locale.ROOT);
        switch (sub) {
            case "FLUSH" -> reply().simple(OK);
            case "LIST" -> reply().array(0);
            default -> reply().error(RespErrors.ascii("ERR FUNCTION " + sub + " is not supported by LoomCache " +
                "(it runs no functions or scripts)"));
        }
    }

    private void wrongArgs(final String name) {
        reply().error(RespErrors.ascii("ERR wrong number of arguments for '" + name + "' command"));
    }

    private static boolean validName(final String name) {
        for (int i = 0; i < name.length(); i++) {
            final char c = name.charAt(i);
            if (c < '!' || c > '~') {
                return false;
            }
        }
        return true;
    }

    /** Redis's glob: '*', '?', '[...]' and '\' escapes, as CONFIG GET and KEYS match. */
    static boolean glob(final String pattern, final int p, final String text, final int t) {
        if (p == pattern.length()) {
            return t == text.length();
        }
        final char c = pattern.charAt(p);
        if (c == '*') {
            for (int i = t; i <= text.length(); i++) {
                if (glob(pattern, p + 1, text, i)) {
                    return true;
                }
            }
            return false;
        }
        if (t == text.length()) {
            return false;
        }
        if (c == '?') {
            return glob(pattern, p + 1, text, t + 1);
        }
        if (c == '[') {
            final int close = pattern.indexOf(']', p + 1);
            if (close > p) {
                final String set = pattern.substring(p + 1, close);
                final boolean negate = set.startsWith("^");
                boolean match = false;
                final String members = negate ? set.substring(1) : set;
                for (int i = 0; i < members.length(); i++) {
                    if (i + 2 < members.length() && members.charAt(i + 1) == '-') {
                        match |= text.charAt(t) >= members.charAt(i) && text.charAt(t) <= members.charAt(i + 2);
                        i += 2;
                    } else {
                        match |= text.charAt(t) == members.charAt(i);
                    }
                }
                return match != negate && glob(pattern, close + 1, text, t + 1);
            }
        }
        if (c == '\\' && p + 1 < pattern.length()) {
            return pattern.charAt(p + 1) == text.charAt(t) && glob(pattern, p + 2, text, t + 1);
        }
        return c == text.charAt(t) && glob(pattern, p + 1, text, t + 1);
    }

    static String text(final RespRequestParser args, final int index) {
        final byte[] bytes = new byte[args.argLength(index)];
        args.buffer().getBytes(args.argOffset(index), bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static String printable(final RespRequestParser args, final int index) {
        final String text = text(args, index);
        return text.length() > 128 ? text.substring(0, 128) : text;
    }

    private static byte[] bytes(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
