package com.pyerp.deployaction.debian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RelationTest {

    @Test
    void fieldsOfAlternativesWithVersionsAndArchitectures() {
        List<List<Relation>> depends = Relation.parseField(
                "libc6 (>= 2.34), debconf (>= 0.5) | debconf-2.0, python3:any (<< 3.12),perl:any");
        assertEquals(4, depends.size());
        assertEquals("libc6 (>= 2.34)", depends.get(0).get(0).toString());
        assertEquals(List.of("debconf", "debconf-2.0"), depends.get(1).stream().map(Relation::name).toList());
        assertEquals("any", depends.get(2).get(0).architecture());
        assertEquals("python3:any (<< 3.12)", depends.get(2).get(0).toString());
        assertEquals(List.of(), Relation.parseField(" "));
    }

    @Test
    void versionRelationsFollowDebianOrder() {
        assertTrue(Relation.parse("a (>= 1:2.0)").allows("1:2.0"));
        assertFalse(Relation.parse("a (>= 1:2.0)").allows("2.9"), "the epoch counts first");
        assertTrue(Relation.parse("a (<< 2.0)").allows("2.0~rc1"), "~ sorts before the release");
        assertFalse(Relation.parse("a (>> 2.0)").allows("2.0"));
        assertTrue(Relation.parse("a (= 2.0-1)").allows("2.0-1"));
        assertTrue(Relation.parse("a (<= 2.0)").allows("2.0"));
        assertTrue(Relation.parse("a").allows("anything"));
        assertTrue(Relation.parse("a (< 2.0)").allows("2.0"), "the obsolete '<' means '<='");
    }

    @Test
    void whatIsNotARelationIsNamed() {
        assertEquals("'Not A Package' is not a package relation",
                assertThrows(IllegalArgumentException.class, () -> Relation.parseField("Not A Package")).getMessage());
        assertEquals("'a | b' may not list alternatives",
                assertThrows(IllegalArgumentException.class, () -> Relation.parseList("a | b")).getMessage());
    }
}
