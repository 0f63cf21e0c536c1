package com.pyerp.deployaction.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SshEndpointTest {

    @Test
    void parsesUserHostAndPortWithDefaults() {
        assertEquals(new SshEndpoint("deploy", "example.com", 22), SshEndpoint.parse("example.com", "deploy", 22));
        assertEquals(new SshEndpoint("jump", "bastion.example.com", 2200), SshEndpoint.parse(" jump@bastion.example.com:2200 ", "deploy", 22));
        assertEquals(new SshEndpoint("deploy", "::1", 2222), SshEndpoint.parse("[::1]:2222", "deploy", 22));
        assertEquals("deploy@[::1]:2222", SshEndpoint.parse("[::1]:2222", "deploy", 22).toString());
    }

    @Test
    void rejectsWhatIsNotAnEndpoint() {
        assertEquals("'ssh://example.com' is not [user@]host[:port]",
                assertThrows(IllegalArgumentException.class, () -> SshEndpoint.parse("ssh://example.com", "d", 22)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> SshEndpoint.parse("a b", "d", 22));
        assertThrows(IllegalArgumentException.class, () -> SshEndpoint.parse("host:0", "d", 22));
        assertThrows(IllegalArgumentException.class, () -> SshEndpoint.parse("host:70000", "d", 22));
    }
}
