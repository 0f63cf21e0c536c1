package com.pyerp.deployaction.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DotEnvTest {

    @Test
    void readsPlainQuotedExportedAndCommentedLines() {
        DotEnv env = DotEnv.parse("""
                # Django
                SECRET_KEY=abc
                export DEBUG=false
                DATABASE_URL=mysql://u:p@db/erp?ssl=true&x=1
                GREETING='hello # not a comment'
                QUOTED="tab\\there \\"q\\" \\$HOME"
                SPACED = value with spaces   # trailing comment
                EMPTY=
                HASH=a#b
                """, "env-file");
        assertEquals(Map.of(
                "SECRET_KEY", "abc",
                "DEBUG", "false",
                "DATABASE_URL", "mysql://u:p@db/erp?ssl=true&x=1",
                "GREETING", "hello # not a comment",
                "QUOTED", "tab\there \"q\" $HOME",
                "SPACED", "value with spaces",
                "EMPTY", "",
                "HASH", "a#b"), env.asMap());
        assertEquals(List.of("SECRET_KEY", "DEBUG", "DATABASE_URL", "GREETING", "QUOTED", "SPACED", "EMPTY", "HASH"),
                env.entries().stream().map(DotEnv.Entry::key).toList());
    }

    @Test
    void singleQuotesAreLiteral() {
        assertEquals("a\\nb $X \"", DotEnv.parse("K='a\\nb $X \"'", "t").get("K"));
    }

    @Test
    void quotedValuesSpanLines() {
        DotEnv env = DotEnv.parse("""
                KEY="-----BEGIN KEY-----
                abc=
                -----END KEY-----"
                NEXT='one
                two' # after
                LAST=x
                """, "t");
        assertEquals("-----BEGIN KEY-----\nabc=\n-----END KEY-----", env.get("KEY"));
        assertEquals("one\ntwo", env.get("NEXT"));
        assertEquals("x", env.get("LAST"));
    }

    @Test
    void keepsCommentsAboveAndOnTheLine() {
        DotEnv env = DotEnv.parse("""
                # unrelated

                # the SMTP server
                # @required
                EMAIL_HOST=   # no default
                OTHER=1
                """, "t");
        assertEquals("the SMTP server\n@required\nno default", env.entries().get(0).comment());
        assertEquals("", env.entries().get(1).comment());
    }

    @Test
    void windowsLineEndings() {
        assertEquals(Map.of("A", "1", "B", "two words"), DotEnv.parse("A=1\r\nB='two words'\r\n", "t").asMap());
    }

    @Test
    void aRepeatedKeyKeepsItsPlaceAndTakesTheLastValue() {
        DotEnv env = DotEnv.parse("A=1\nB=2\nA=3\n", "t");
        assertEquals(List.of("A", "B"), env.entries().stream().map(DotEnv.Entry::key).toList());
        assertEquals("3", env.get("A"));
    }

    @Test
    void rejectsMalformedLinesNamingOriginAndLine() {
        assertEquals("env-file, line 2: expected KEY=VALUE, a # comment or a blank line",
                assertThrows(IllegalArgumentException.class, () -> DotEnv.parse("A=1\njust text\n", "env-file"))
                        .getMessage());
        assertEquals("env-file, line 1: '1A' is not a valid key (letters, digits and _, not starting with a digit)",
                assertThrows(IllegalArgumentException.class, () -> DotEnv.parse("1A=x", "env-file")).getMessage());
        assertEquals("env-file, line 3: the quoted value of B is never closed (a \" is missing)",
                assertThrows(IllegalArgumentException.class, () -> DotEnv.parse("# c\nA=1\nB=\"open\nC=2\n",
                        "env-file")).getMessage());
        assertEquals("env-file, line 3: unexpected text after the quoted value of A (quote the whole value)",
                assertThrows(IllegalArgumentException.class, () -> DotEnv.parse("\nX=1\nA='v' tail\n", "env-file"))
                        .getMessage());
    }

    @Test
    void lineNumbersCountLinesInsideQuotedValues() {
        assertEquals("t, line 4: expected KEY=VALUE, a # comment or a blank line",
                assertThrows(IllegalArgumentException.class, () -> DotEnv.parse("A='x\ny'\nB=1\noops\n", "t"))
                        .getMessage());
    }

    @Test
    void writesBareWhenSafeAndQuotesOtherwise() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("A", "plain-value_1.2:3/4@x+y=z,");
        values.put("B", "two words");
        values.put("C", "");
        values.put("D", "it's $HOME\nline2");
        assertEquals("A=plain-value_1.2:3/4@x+y=z,\nB='two words'\nC=\nD=\"it's \\$HOME\\nline2\"\n", DotEnv.write(values));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "simple", "with space", "quote'single", "quote\"double", "back\\slash", "dollar $X ${Y}",
            "hash # x", "#start", "multi\nline\n", "crlf\r\n", "tab\tx", "=equals=", "  padded  ", "ünïcode ✓",
            "'both' \"kinds\"", "trailing\\"})
    void roundTrips(String value) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("KEY", value);
        values.put("NEXT", "after");
        assertEquals(values, DotEnv.parse(DotEnv.write(values), "t").asMap());
    }

    @Test
    void rejectsKeysItCannotWrite() {
        assertThrows(IllegalArgumentException.class, () -> DotEnv.write(Map.of("BAD KEY", "x")));
    }
}
