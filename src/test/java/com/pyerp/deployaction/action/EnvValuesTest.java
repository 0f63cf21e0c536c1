package com.pyerp.deployaction.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class EnvValuesTest {

    @Test
    void everyValueIsMaskedButNumbersAndBooleansWhateverItsKeyOrLength() {
        String env = """
                # comment=not a value
                PORT=8000
                DEBUG=false
                PIN=ab1
                DATABASE_URL=mysql://u:pw@db/x
                QUOTED="a b c"
                SINGLE='x'
                EMPTY=
                CERT="-----BEGIN X-----
                c2VjcmV0IGxpbmU=
                -----END X-----"
                AFTER=later
                NOTED=s3cret # the password
                """;
        assertEquals(List.of("ab1", "mysql://u:pw@db/x", "a b c", "x", "-----BEGIN X-----\nc2VjcmV0IGxpbmU=\n-----END X-----",
                "later", "s3cret # the password", "s3cret"), EnvValues.toMask(env));
    }

    @Test
    void aQuoteLeftOpenStillMasksWhatFollows() {
        assertEquals(List.of("start\nrest of the file"), EnvValues.toMask("KEY='start\nrest of the file\n"));
    }

    @Test
    void onlyNumbersAndBooleansArePlain() {
        for (String plain : List.of("0", "8000", "true", "False", "YES", "no", "on", "off", "", "  ")) {
            assertFalse(EnvValues.needsMask(plain), plain);
        }
        for (String secret : List.of("a", "12345678901", "s3cret", "0x1f", "yes please")) {
            assertTrue(EnvValues.needsMask(secret), secret);
        }
    }
}
