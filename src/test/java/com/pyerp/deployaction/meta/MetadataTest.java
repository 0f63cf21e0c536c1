package com.pyerp.deployaction.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.action.Csv;
import com.pyerp.deployaction.action.JsonValue;
import com.pyerp.deployaction.registry.ImageName;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MetadataTest {

    private static final String SHA = "860c1904a1ce19322e91ac35af1ab07466440c37";
    private static final RepositoryInfo REPO =
            new RepositoryInfo("pyerp", "An ERP", "https://github.com/pyerp/pyerp", "AGPL-3.0", "main");
    private static final Instant COMMIT_DATE = Instant.parse("2026-11-20T09:15:30Z");

    private static Metadata compute(String eventName, String ref, List<String> tags, String flavor) throws Exception {
        JsonValue event = JsonValue.parse("{\"repository\":{\"default_branch\":\"main\"},\"number\":42}");
        MetaContext context = new MetaContext(eventName, ref, SHA, event, COMMIT_DATE, Instant.parse("2026-11-26T10:00:00Z"), 7);
        Metadata.Rules rules = new Metadata.Rules(ImageName.parse(List.of("ghcr.io/PyERP/pyerp")), TagRule.parseAll(tags),
                Flavor.parse(Csv.entries(flavor)), List.of("org.opencontainers.image.vendor=pyERP"), List.of(), List.of("manifest"));
        return Metadata.compute(rules, context, REPO);
    }

    private static List<String> defaults(String eventName, String ref) throws Exception {
        return compute(eventName, ref, MetadataStage.DEFAULT_TAGS, "").tagNames();
    }

    @Test
    void defaultStrategy() throws Exception {
        assertEquals(List.of("main", "edge", "sha-860c190"), defaults("push", "refs/heads/main"));
        assertEquals(List.of("dev", "sha-860c190"), defaults("push", "refs/heads/dev"));
        assertEquals(List.of("feature-login", "sha-860c190"), defaults("push", "refs/heads/feature/login"));
        assertEquals(List.of("1.2.3", "1.2", "1", "sha-860c190", "latest"), defaults("push", "refs/tags/v1.2.3"));
        assertEquals(List.of("10.0.1", "10.0", "10", "sha-860c190", "latest"), defaults("push", "refs/tags/10.0.1"));
        assertEquals(List.of("0.3.1", "sha-860c190", "latest"), defaults("push", "refs/tags/v0.3.1"));
        assertEquals(List.of("2.0.0-rc.1", "sha-860c190"), defaults("push", "refs/tags/v2.0.0-rc.1"));
        assertEquals(List.of("pr-42", "sha-860c190"), defaults("pull_request", "refs/pull/42/merge"));
    }

    @Test
    void defaultStrategyVersionIsTheMostSpecificTag() throws Exception {
        assertEquals("main", compute("push", "refs/heads/main", MetadataStage.DEFAULT_TAGS, "").version());
        assertEquals("1.2.3", compute("push", "refs/tags/v1.2.3", MetadataStage.DEFAULT_TAGS, "").version());
    }

    @Test
    void imageNamesAreLowerCased() throws Exception {
        assertEquals("ghcr.io/pyerp/pyerp:main", compute("push", "refs/heads/main", List.of("type=ref,event=branch"), "")
                .tags().get(0));
    }

    @Test
    void labelsCarryTheCommitDateAndUserLabelsWin() throws Exception {
        Metadata metadata = compute("push", "refs/heads/main", List.of("type=ref,event=branch"), "");
        assertTrue(metadata.labels().contains("org.opencontainers.image.created=2026-11-20T09:15:30.000Z"));
        assertTrue(metadata.labels().contains("org.opencontainers.image.vendor=pyERP"));
        assertTrue(metadata.labels().contains("org.opencontainers.image.licenses=AGPL-3.0"));
        assertTrue(metadata.labels().contains("org.opencontainers.image.version=main"));
        assertEquals(metadata.labels().stream().filter(l -> !l.contains("vendor")).map(l -> "manifest:" + l).toList(),
                metadata.annotations(), "annotations: the same OCI keys, without the user's labels");
    }

    @Test
    void jsonHasTheShapeOfMetadataAction() throws Exception {
        Metadata metadata = compute("push", "refs/heads/main", List.of("type=ref,event=branch"), "");
        JsonNode json = new ObjectMapper().readTree(metadata.json());
        assertEquals(List.of("tags", "tag-names", "labels", "annotations"), iterable(json.fieldNames()));
        assertEquals("ghcr.io/pyerp/pyerp:main", json.path("tags").get(0).asText());
        assertEquals("main", json.path("labels").path("org.opencontainers.image.version").asText());
    }

    @ParameterizedTest
    @CsvSource({
        "-lead-dash, lead-dash",
        "..--x, x",
        "ok_tag, ok_tag",
        "_under, _under",
        "a/b c, a-b-c"
    })
    void tagsAreRepairedDeterministically(String value, String expected) {
        assertEquals(expected, Metadata.validTag(value));
    }

    @Test
    void longTagsAreShortenedWithAHashAndStayDistinct() {
        String a = Metadata.validTag("a".repeat(200));
        String b = Metadata.validTag("a".repeat(201));
        assertEquals(128, a.length());
        assertTrue(a.matches("a{119}-[0-9a-f]{8}"), a);
        assertTrue(!a.equals(b));
        assertEquals(a, Metadata.validTag("a".repeat(200)));
    }

    @Test
    void anEmptyBranchPrefixNoLongerStartsATagWithADash() throws Exception {
        Metadata metadata = compute("push", "refs/tags/v1.0.0", List.of("type=raw,value={{branch}}-{{sha}}"), "");
        assertEquals(List.of("860c190"), metadata.tagNames());
        assertTrue(metadata.warnings().get(0).contains("is not a valid tag; it is published as '860c190'"));
    }

    @Test
    void aRuleSetThatLeavesNoValidTagIsAnErrorNamingTheRule() {
        ActionException e = assertThrows(ActionException.class,
                () -> compute("push", "refs/heads/main", List.of("type=raw,value=---"), ""));
        assertEquals("Invalid input: tags", e.title());
        assertTrue(e.getMessage().startsWith("The tag rule 'type=raw,value=---' is invalid: it produced no valid tag"));
    }

    @Test
    void invalidRulesNameTheLine() {
        assertEquals("The tag rule 'type=semver' is invalid: it needs a pattern= attribute. See the tags syntax of"
                + " docker/metadata-action.", assertThrows(ActionException.class, () -> TagRule.parse("type=semver")).getMessage());
        assertTrue(assertThrows(ActionException.class, () -> TagRule.parse("type=foo")).getMessage()
                .contains("type=foo is not a tag type"));
        assertTrue(assertThrows(ActionException.class, () -> TagRule.parse("type=ref,event=push")).getMessage()
                .contains("event=push must be branch, tag or pr"));
        assertTrue(assertThrows(ActionException.class, () -> TagRule.parse("type=sha,format=medium")).getMessage()
                .contains("format=medium must be short or long"));
        assertTrue(assertThrows(ActionException.class, () -> TagRule.parse("type=raw,value=x,priority=high")).getMessage()
                .contains("priority=high is not a whole number"));
        assertThrows(ActionException.class, () -> compute("push", "refs/heads/main", List.of("type=raw,value=x,enable=maybe"), ""));
    }

    @Test
    void unknownAttributesAreWarnedAbout() throws Exception {
        Metadata metadata = compute("push", "refs/heads/main", List.of("type=raw,value=x,patern=y"), "");
        assertTrue(metadata.warnings().contains("Tag rule 'type=raw,value=x,patern=y' has an attribute 'patern' that its"
                + " type does not use; it is ignored."));
    }

    @Test
    void invalidFlavorAndImages() {
        assertEquals("Invalid input: flavor",
                assertThrows(ActionException.class, () -> Flavor.parse(List.of("latest=sometimes"))).title());
        assertEquals("Invalid input: flavor",
                assertThrows(ActionException.class, () -> Flavor.parse(List.of("color=blue"))).title());
        ActionException image = assertThrows(ActionException.class, () -> ImageName.parse(List.of("ghcr.io/o/app:v1")));
        assertEquals("Invalid input: images", image.title());
        assertTrue(image.getMessage().contains("'ghcr.io/o/app:v1' is not a valid image name"));
        assertThrows(ActionException.class, () -> ImageName.parse(List.of("ghcr.io//app")));
        assertThrows(ActionException.class, () -> ImageName.parse(List.of("name=ghcr.io/o/a,enable=maybe")));
        assertThrows(ActionException.class, () -> ImageName.parse(List.of("name=,enable=true")));
    }

    @Test
    void imageListForms() {
        assertEquals(List.of(new ImageName("ghcr.io/o/a", true), new ImageName("o/b", true)),
                ImageName.parse(List.of("ghcr.io/o/a,o/b")));
        assertEquals(List.of(new ImageName("127.0.0.1:5000/o/a", true), new ImageName("o/b", false)),
                ImageName.parse(List.of("name=127.0.0.1:5000/o/a", "name=o/b,enable=false")));
    }

    @Test
    void listInputsSkipCommentsAndJoinQuotedFields() {
        assertEquals(List.of("type=raw,value=a", "type=sha"),
                Csv.entries("  # comment\ntype=raw,\"value=a\"\n\n type=sha \n"));
    }

    private static List<String> iterable(java.util.Iterator<String> names) {
        List<String> list = new java.util.ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }
}
