package io.loomcache.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CommandTableTest {
    @Test
    void shouldRegisterEveryOpcodeConstantUnderItsOwnNameAndRange() throws IllegalAccessException {
        final Set<Integer> values = new HashSet<>();
        for (final Field field : Opcodes.class.getFields()) {
            if (!Modifier.isStatic(field.getModifiers()) || field.getType() != int.class) {
                continue;
            }
            final int opcode = field.getInt(null);
            assertTrue(values.add(opcode), "duplicate opcode " + field.getName());
            assertTrue(CommandTable.isKnown(opcode), field.getName());
            assertEquals(field.getName(), Opcodes.name(opcode));
            assertEquals(OpcodeCategory.ofRange(opcode), Opcodes.category(opcode), field.getName());
            assertTrue(opcode > 0 && opcode <= FrameHeaderDescriptor.MAX_OPCODE);
            assertTrue(CommandTable.minBodyLength(opcode) >= 0);
        }
        assertEquals(values.size(), CommandTable.size());
    }

    @Test
    void shouldListOpcodesInAscendingOrder() {
        for (int i = 1; i < CommandTable.size(); i++) {
            assertTrue(CommandTable.opcodeAt(i - 1) < CommandTable.opcodeAt(i));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 0, 0x0100, 0x0200, 0x021C, 0x02FF, 0x0700, 0x070A, 0x0800, 0xFFFF, 0x10000})
    void shouldDetectUnknownOpcodes(final int opcode) {
        assertFalse(CommandTable.isKnown(opcode));
        assertEquals("UNKNOWN", Opcodes.name(opcode));
        assertEquals(OpcodeCategory.UNKNOWN, Opcodes.category(opcode));
        assertEquals(0, CommandTable.flags(opcode));
        assertEquals(-1, CommandTable.minBodyLength(opcode));
        assertEquals(ErrorCode.UNKNOWN_OPCODE, CommandTable.check(opcode, 100));
    }

    @Test
    void shouldRequireTheFixedFieldsAndLengthPrefixesOfMapRequests() {
        assertEquals(4 + 8 + 4 + 4, CommandTable.minBodyLength(Opcodes.MAP_PUT));
        assertEquals(4 + 8 + 4 + 4, CommandTable.minBodyLength(Opcodes.MAP_PUT_IF_ABSENT));
        assertEquals(4 + 4, CommandTable.minBodyLength(Opcodes.MAP_GET));
        assertEquals(4 + 4 + 4 + 4, CommandTable.minBodyLength(Opcodes.MAP_REPLACE));
        assertEquals(4, CommandTable.minBodyLength(Opcodes.MAP_SIZE));
        assertEquals(4 + 8 + 4, CommandTable.minBodyLength(Opcodes.MAP_EXPIRE));
        assertEquals(4 + 8 + 4, CommandTable.minBodyLength(Opcodes.MAP_INCREMENT));
        assertEquals(4 + 4 + 4, CommandTable.minBodyLength(Opcodes.MAP_APPEND));
        assertEquals(4 + 8 + 4 + 4, CommandTable.minBodyLength(Opcodes.MAP_GET_AND_PUT));
        assertEquals(4 + 4, CommandTable.minBodyLength(Opcodes.MAP_GET_AND_REMOVE));
        assertEquals(4 + 8 + 4 + 4, CommandTable.minBodyLength(Opcodes.MAP_PUT_IF_PRESENT));
        assertEquals(4 + 4, CommandTable.minBodyLength(Opcodes.MAP_PERSIST));
        assertEquals(4 + 8 + 4 + 4, CommandTable.minBodyLength(Opcodes.MAP_SET_RANGE));
        assertEquals(4 + 4 + 4, CommandTable.minBodyLength(Opcodes.MAP_PUT_KEEP_TTL));
        assertEquals(ErrorCode.BODY_TOO_SHORT, CommandTable.check(Opcodes.MAP_PUT, 19));
        assertEquals(ErrorCode.NONE, CommandTable.check(Opcodes.MAP_PUT, 20));
        assertEquals(ErrorCode.NONE, CommandTable.check(Opcodes.PING, 0));
    }

    @Test
    void shouldFlagCommandsByWhatTheyDo() {
        assertTrue(CommandTable.hasFlag(Opcodes.MAP_GET, CommandTable.FLAG_READ));
        assertTrue(CommandTable.hasFlag(Opcodes.MAP_GET, CommandTable.FLAG_KEYED));
        assertFalse(CommandTable.hasFlag(Opcodes.MAP_GET, CommandTable.FLAG_WRITE));
        assertTrue(CommandTable.hasFlag(Opcodes.MAP_PUT, CommandTable.FLAG_WRITE));
        assertTrue(CommandTable.hasFlag(Opcodes.MAP_CLEAR, CommandTable.FLAG_ADMIN));
        for (int opcode = Opcodes.MAP_INCREMENT; opcode <= Opcodes.MAP_PUT_KEEP_TTL; opcode++) {
            // the Redis read-modify-writes all change state: in a cluster each one goes through the Raft log
            assertEquals(CommandTable.FLAG_WRITE | CommandTable.FLAG_KEYED, CommandTable.flags(opcode),
                Opcodes.name(opcode));
            assertTrue(MapRequestDescriptor.isMapOpcode(opcode), Opcodes.name(opcode));
        }
        assertTrue(CommandTable.hasFlag(Opcodes.HELLO, CommandTable.FLAG_NO_AUTH));
        assertTrue(CommandTable.hasFlag(Opcodes.APPEND_ENTRIES, CommandTable.FLAG_PEER));
        assertTrue(CommandTable.hasFlag(Opcodes.WAN_REPLICATE, CommandTable.FLAG_PLACEHOLDER));
        assertTrue(CommandTable.hasFlag(Opcodes.EXECUTOR_SUBMIT, CommandTable.FLAG_PLACEHOLDER));
        assertTrue(CommandTable.hasFlag(Opcodes.TOPIC_MESSAGE, CommandTable.FLAG_EVENT));
        for (int i = 0; i < CommandTable.size(); i++) {
            final int opcode = CommandTable.opcodeAt(i);
            if (Opcodes.category(opcode) == OpcodeCategory.RESPONSE) {
                assertTrue(CommandTable.hasFlag(opcode, CommandTable.FLAG_RESPONSE), Opcodes.name(opcode));
            }
        }
    }

    @Test
    void shouldGiveEachCategoryItsOwnHighByte() {
        assertEquals(OpcodeCategory.CONTROL, Opcodes.category(Opcodes.HELLO));
        assertEquals(OpcodeCategory.DATA, Opcodes.category(Opcodes.QUEUE_OFFER));
        assertEquals(OpcodeCategory.CP, Opcodes.category(Opcodes.CP_ATOMIC_CAS));
        assertEquals(OpcodeCategory.CLUSTER, Opcodes.category(Opcodes.PARTITION_TABLE));
        assertEquals(OpcodeCategory.RAFT, Opcodes.category(Opcodes.TIMEOUT_NOW));
        assertEquals(OpcodeCategory.WAN_EXECUTOR, Opcodes.category(Opcodes.WAN_REPLICATE));
        assertEquals(OpcodeCategory.RESPONSE, Opcodes.category(Opcodes.RESPONSE_SEQUENCE_LOST));
        for (final OpcodeCategory category : OpcodeCategory.values()) {
            assertEquals(category, OpcodeCategory.ofRange(category.firstOpcode() + 1));
        }
    }
}
