package com.pyerp.deployaction.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CommandLineWordsTest {

    // JSON arrays

    @Test
    void aJsonArrayOfStrings() {
        assertEquals(List.of("python3", "-m", "gunicorn"), split("[\"python3\", \"-m\", \"gunicorn\"]"));
    }

    @Test
    void aJsonArrayKeepsSpacesQuotesAndEscapesInsideItsWords() {
        assertEquals(List.of("sh", "-c", "echo \"hi\" 'there' && exit 0", "back\\slash", "tab\there", "café", ""),
                split("[\"sh\",\"-c\",\"echo \\\"hi\\\" 'there' && exit 0\",\"back\\\\slash\",\"tab\\there\","
                        + "\"caf\\u00e9\",\"\"]"));
    }

    @Test
    void aJsonArrayMaySpanLinesAndBeSurroundedByWhitespace() {
        assertEquals(List.of("a", "b"), split("\n  [\n    \"a\",\n    \"b\"\n  ]\n"));
    }

    @Test
    void anEmptyJsonArrayIsNoWords() {
        assertEquals(List.of(), split("[]"));
        assertEquals(List.of(), split("[ ]"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"[\"a\", 1]", "[1]", "[\"a\", null]", "[true]", "[[\"a\"]]", "[{\"a\": \"b\"}]", "[1.5]"})
    void aJsonArrayMemberThatIsNotAStringIsRejected(String value) {
        assertEquals("a JSON array must contain only strings", rejection(value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"[", "[\"a\"", "[\"a\",", "[a, b]", "['a']", "[\"a\" \"b\"]", "[\"a\",]"})
    void textThatStartsWithABracketButIsNotJsonIsRejected(String value) {
        String reason = rejection(value);
        assertTrue(reason.startsWith("it starts with '[' but is not a JSON array"), reason);
    }

    /** Words after the array would silently be dropped: {@code gunicorn} would never run. */
    @ParameterizedTest
    @ValueSource(strings = {"[\"python3\", \"-m\"] gunicorn", "[\"a\"] [\"b\"]", "[\"a\"],"})
    void textAfterTheJsonArrayIsRejected(String value) {
        String reason = rejection(value);
        assertTrue(reason.startsWith("it starts with '[' but is not a JSON array"), reason);
    }

    // Shell-like lines

    @Test
    void whitespaceSeparatesWords() {
        assertEquals(List.of("python3", "-m", "gunicorn", "pyerp.wsgi:application"),
                split("  python3 \t-m\n  gunicorn   pyerp.wsgi:application  "));
    }

    @Test
    void singleQuotesKeepEverythingLiterally() {
        assertEquals(List.of("sh", "-c", "echo \"$HOME\" \\n \\"), split("sh -c 'echo \"$HOME\" \\n \\'"));
    }

    @Test
    void doubleQuotesAllowEscapedQuotesAndBackslashesOnly() {
        assertEquals(List.of("say \"hi\"", "back\\slash", "keep\\n", "it's", "\\"),
                split("\"say \\\"hi\\\"\" \"back\\\\slash\" \"keep\\n\" \"it's\" \"\\\\\""));
    }

    @Test
    void quotedAndUnquotedPartsJoinIntoOneWord() {
        assertEquals(List.of("--bind=0.0.0.0:8000 x", "ab c"), split("--bind=\"0.0.0.0:8000 x\" a'b c'"));
    }

    @Test
    void emptyQuotesAreEmptyWords() {
        assertEquals(List.of("a", "", "", "b"), split("a \"\" '' b"));
    }

    @Test
    void aBackslashOutsideQuotesTakesTheNextCharacterLiterally() {
        assertEquals(List.of("a b", "c\"d", "e\\f", "g'h"), split("a\\ b c\\\"d e\\\\f g\\'h"));
    }

    @Test
    void aTrailingBackslashIsKept() {
        assertEquals(List.of("dir\\"), split("dir\\"));
        assertEquals(List.of("a", "\\"), split("a \\"));
    }

    @Test
    void aWordThatIsNotAJsonArrayButHasBrackets() {
        assertEquals(List.of("echo", "[a]", "{b}"), split("echo [a] {b}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t\n  "})
    void emptyInputIsNoWords(String value) {
        assertEquals(List.of(), split(value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"abc", "a \"b c", "\"escaped at the end\\\"", "'ok' \"open"})
    void anUnclosedDoubleQuoteIsRejected(String value) {
        assertEquals("a double quote is not closed", rejection(value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"'abc", "sh -c 'echo", "'it\\'s'", "\"ok\" 'open"})
    void anUnclosedSingleQuoteIsRejected(String value) {
        assertEquals("a single quote is not closed", rejection(value));
    }

    @Test
    void theWordsCannotBeChanged() {
        List<String> words = split("a b");
        assertThrows(UnsupportedOperationException.class, () -> words.add("c"));
        List<String> json = split("[\"a\"]");
        assertThrows(UnsupportedOperationException.class, () -> json.add("c"));
    }

    private static List<String> split(String value) {
        return CommandLineWords.split(value);
    }

    private static String rejection(String value) {
        return assertThrows(IllegalArgumentException.class, () -> CommandLineWords.split(value)).getMessage();
    }
}
