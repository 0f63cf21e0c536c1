package com.pyerp.deployaction.action;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonWriterTest {

    /** Control characters, the short escapes, a lone surrogate of each kind, a pair, DEL and non-ASCII. */
    private static final String TRICKY = "\u0001\u001f\"\\\b\f\n\r\t/\ud800a\udc00\ud83d\ude00\u007fé";

    @Test
    void theJavaScriptStyleIsJsonStringify() {
        // JSON.stringify(TRICKY) under node 20
        assertEquals("\"\\u0001\\u001f\\\"\\\\\\b\\f\\n\\r\\t/\\ud800a\\udc00\ud83d\ude00\u007fé\"",
                JsonWriter.javascript().string(TRICKY).toString());
    }

    @Test
    void theJacksonStyleIsJacksonsCompactOutput() throws Exception {
        ObjectMapper jackson = new ObjectMapper();
        ObjectNode tree = jackson.createObjectNode().put("text", TRICKY).put("size", 42).putNull("none");
        tree.putArray("list").add("a").add("b");
        tree.putObject("empty");
        tree.putArray("nothing");

        String written = JsonWriter.jackson().open('{').field("text").string(TRICKY).field("size").raw("42")
                .field("none").string(null).field("list").strings(List.of("a", "b")).field("empty").open('{').close('}')
                .field("nothing").strings(List.of()).close('}').toString();

        assertEquals(jackson.writeValueAsString(tree), written);
    }
}
