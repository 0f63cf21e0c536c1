package com.pyerp.deployaction.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class AppDirectoryTest {

    @Test
    void aPlainDirectoryOfItsOwnIsKeptWithoutTrailingSlashes() {
        assertEquals("/srv/pyerp", AppDirectory.normalise("/srv/pyerp"));
        assertEquals("/srv/pyerp", AppDirectory.normalise("/srv/pyerp//"));
        assertEquals("/home/deploy/my app", AppDirectory.normalise("/home/deploy/my app"));
        assertEquals("/var/lib/pyerp", AppDirectory.normalise("/var/lib/pyerp"));
    }

    @Test
    void ambiguousSpellingsSystemDirectoriesAndSystemTreesAreRefused() {
        for (String path : List.of("", "srv/app", "/", "//", "/.", "//srv", "/srv//app", "/srv/./app", "/srv/../etc",
                "/srv/app/..", "/srv/app\n", "/etc", "/var", "/srv", "/etc/pyerp", "/usr/local/app", "/proc/1", "/run/app")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AppDirectory.normalise(path), path);
            assertTrue(e.getMessage().startsWith("'" + path + "' "), e.getMessage());
            assertTrue(e.getMessage().contains("/srv/pyerp"), e.getMessage());
        }
    }
}
