package com.pyerp.deployaction.debian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ControlParagraphTest {

    @Test
    void paragraphsFieldsAndContinuationLines() {
        List<ControlParagraph> paragraphs = ControlParagraph.parseAll("""
                Package: libpango-1.0-0
                Version: 1.50.12+ds-1
                Depends: libc6 (>= 2.34),
                 libglib2.0-0 (>= 2.67.3)
                Description: Layout and rendering of internationalized text
                 .
                 Pango is a library.


                package: second
                Version: 1
                """);
        assertEquals(2, paragraphs.size());
        ControlParagraph pango = paragraphs.get(0);
        assertEquals("libc6 (>= 2.34),\nlibglib2.0-0 (>= 2.67.3)", pango.get("depends"));
        assertEquals("Layout and rendering of internationalized text\n.\nPango is a library.", pango.get("Description"));
        assertEquals("second", paragraphs.get(1).get("Package"), "field names compare without case");
        assertEquals("package", paragraphs.get(1).fields().get("package").name(), "and keep their spelling");
        assertEquals("", pango.get("Pre-Depends"));
        assertTrue(pango.find("Essential").isEmpty());
    }

    @Test
    void onlyTheKeptFieldsAreReadAndParagraphsStayWhole() throws Exception {
        List<ControlParagraph> paragraphs = new ArrayList<>();
        ControlParagraph.read(new BufferedReader(new StringReader("""
                Package: libpango-1.0-0
                Description: Layout and rendering
                 of internationalized text
                Depends: libc6 (>= 2.34),
                 libglib2.0-0 (>= 2.67.3)

                Description: a paragraph of only skipped fields
                """)), Set.of("package", "depends")::contains, paragraphs::add);
        assertEquals(2, paragraphs.size());
        assertEquals(List.of("package", "depends"), List.copyOf(paragraphs.get(0).fields().keySet()));
        assertEquals("libc6 (>= 2.34),\nlibglib2.0-0 (>= 2.67.3)", paragraphs.get(0).get("Depends"));
        assertTrue(paragraphs.get(1).fields().isEmpty());
    }

    @Test
    void aLineThatIsNeitherFieldNorContinuationNamesItsLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ControlParagraph.parseAll("Package: a\nno colon here\n"));
        assertEquals("line 2: expected 'Field: value'", e.getMessage());
        assertEquals("line 3: the field version appears twice", assertThrows(IllegalArgumentException.class,
                () -> ControlParagraph.parseAll("Package: a\nVersion: 1\nversion: 2\n")).getMessage());
        assertEquals("line 1: a continuation line without a field",
                assertThrows(IllegalArgumentException.class, () -> ControlParagraph.parseAll(" x\n")).getMessage());
    }
}
