package com.pyerp.deployaction.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pyerp.deployaction.action.DotEnv;
import com.pyerp.deployaction.config.EnvTemplate;
import com.pyerp.deployaction.config.ServerFact;
import com.pyerp.deployaction.server.EnvMerge.Origin;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EnvMergeTest {

    private static final EnvTemplate TEMPLATE = EnvTemplate.from(DotEnv.parse("""
            # Django
            SECRET_KEY=
            DEBUG=false
            ALLOWED_HOSTS=
            # @required
            EMAIL_HOST=
            DB_PASSWORD=
            API_TOKEN=   # @required
            PUBLIC_URL=  # @server:hostname
            LISTEN_IP=   # @server:ip
            # @secret
            SIGNING_SALT=
            TIME_ZONE=Europe/Berlin
            """, "env-template"), "env-template");
    private static final ServerFacts SERVER = ServerFacts.parse("erp1\n", "203.0.113.7 10.0.0.5 2001:db8::7\n");
    private static final SecretGenerator FIXED = key -> "gen-" + key;

    private static Map<String, Origin> origins(EnvMerge.Result result) {
        return result.values().stream().collect(Collectors.toMap(EnvMerge.Value::key, EnvMerge.Value::origin));
    }

    @Test
    void eachKeyTakesTheFirstSourceWithAValue() {
        DotEnv source = DotEnv.parse("EMAIL_HOST=smtp.example.com\nAPI_TOKEN=t0k\nDEBUG=\nEXTRA=from-source\n", "env-file");
        DotEnv existing = DotEnv.parse("SECRET_KEY=kept-key\nTIME_ZONE=UTC\nEMAIL_HOST=old.example.com\nHAND_ADDED=1\n",
                ".env");
        EnvMerge.Result result = EnvMerge.merge(TEMPLATE, source, existing, SERVER, FIXED);
        assertEquals(Map.ofEntries(
                Map.entry("SECRET_KEY", Origin.KEPT),
                Map.entry("DEBUG", Origin.DEFAULT),
                Map.entry("ALLOWED_HOSTS", Origin.SERVER),
                Map.entry("EMAIL_HOST", Origin.SOURCE),
                Map.entry("DB_PASSWORD", Origin.GENERATED),
                Map.entry("API_TOKEN", Origin.SOURCE),
                Map.entry("PUBLIC_URL", Origin.SERVER),
                Map.entry("LISTEN_IP", Origin.SERVER),
                Map.entry("SIGNING_SALT", Origin.GENERATED),
                Map.entry("TIME_ZONE", Origin.KEPT),
                Map.entry("EXTRA", Origin.SOURCE),
                Map.entry("HAND_ADDED", Origin.KEPT)), origins(result));
        assertEquals("""
                SECRET_KEY=kept-key
                DEBUG=false
                ALLOWED_HOSTS=erp1,203.0.113.7,10.0.0.5,2001:db8::7
                EMAIL_HOST=smtp.example.com
                DB_PASSWORD=gen-DB_PASSWORD
                API_TOKEN=t0k
                PUBLIC_URL=erp1
                LISTEN_IP=203.0.113.7
                SIGNING_SALT=gen-SIGNING_SALT
                TIME_ZONE=UTC
                EXTRA=from-source
                HAND_ADDED=1
                """, result.content());
    }

    @Test
    void secretsAreMarkedByNameOrByTemplate() {
        EnvMerge.Result result = EnvMerge.merge(TEMPLATE, DotEnv.parse("EMAIL_HOST=h\nAPI_TOKEN=t\nMY_PASSWORD=p\n",
                "env-file"), DotEnv.parse("", ".env"), SERVER, FIXED);
        Set<String> secret = result.values().stream().filter(EnvMerge.Value::secret).map(EnvMerge.Value::key)
                .collect(Collectors.toSet());
        assertEquals(Set.of("SECRET_KEY", "DB_PASSWORD", "API_TOKEN", "SIGNING_SALT", "MY_PASSWORD"), secret);
        assertEquals(List.of("gen-SECRET_KEY", "gen-DB_PASSWORD", "t", "gen-SIGNING_SALT", "p"), result.secretValues());
    }

    @Test
    void aRerunKeepsGeneratedSecretsAndASourceChangeChangesOnlyThatKey() {
        DotEnv source = DotEnv.parse("EMAIL_HOST=a\nAPI_TOKEN=t\n", "env-file");
        EnvMerge.Result first = EnvMerge.merge(TEMPLATE, source, DotEnv.parse("", ".env"), SERVER, SecretGenerator.secure());
        DotEnv written = DotEnv.parse(first.content(), ".env");
        EnvMerge.Result second = EnvMerge.merge(TEMPLATE, source, written, SERVER, SecretGenerator.secure());
        assertEquals(first.content(), second.content());
        assertTrue(second.values().stream().noneMatch(value -> value.origin() == Origin.GENERATED));

        EnvMerge.Result third = EnvMerge.merge(TEMPLATE, DotEnv.parse("EMAIL_HOST=b\nAPI_TOKEN=t\n", "env-file"),
                written, SERVER, SecretGenerator.secure());
        Map<String, String> before = DotEnv.parse(second.content(), "t").asMap();
        Map<String, String> after = DotEnv.parse(third.content(), "t").asMap();
        assertEquals(before.keySet(), after.keySet());
        Set<String> changed = new HashSet<>();
        before.forEach((key, value) -> {
            if (!value.equals(after.get(key))) {
                changed.add(key);
            }
        });
        assertEquals(Set.of("EMAIL_HOST"), changed);
    }

    @Test
    void everyMissingRequiredKeyIsNamed() {
        EnvMerge.MissingRequired missing = assertThrows(EnvMerge.MissingRequired.class, () -> EnvMerge.merge(TEMPLATE,
                DotEnv.parse("", "env-file"), DotEnv.parse("", ".env"), SERVER, FIXED));
        assertEquals(List.of("EMAIL_HOST"), missing.keys());
        EnvTemplate twoRequired = EnvTemplate.from(DotEnv.parse("# required\nA=\nB= # @required\nC= # required, secret\n",
                "t"), "t");
        assertEquals(List.of("A", "B"), assertThrows(EnvMerge.MissingRequired.class, () -> EnvMerge.merge(twoRequired,
                DotEnv.parse("", "env-file"), DotEnv.parse("", ".env"), SERVER, FIXED)).keys());
    }

    @Test
    void aRequiredKeyKeptOnTheServerIsEnough() {
        EnvMerge.Result result = EnvMerge.merge(TEMPLATE, DotEnv.parse("", "env-file"),
                DotEnv.parse("EMAIL_HOST=h\nAPI_TOKEN=t\n", ".env"), SERVER, FIXED);
        assertEquals(Origin.KEPT, origins(result).get("API_TOKEN"));
    }

    @Test
    void withoutATemplateSecretNamesAreGeneratedOnlyWhenListedEmpty() {
        EnvMerge.Result result = EnvMerge.merge(new EnvTemplate(Map.of()), DotEnv.parse("SECRET_KEY=\nNAME=erp\nEMPTY=\n",
                "env-file"), DotEnv.parse("", ".env"), ServerFacts.parse("h", ""), FIXED);
        assertEquals(Map.of("SECRET_KEY", Origin.GENERATED, "NAME", Origin.SOURCE, "EMPTY", Origin.SOURCE),
                origins(result));
        assertEquals("SECRET_KEY=gen-SECRET_KEY\nNAME=erp\nEMPTY=\n", result.content());
    }

    @Test
    void marksAreCommentLinesMadeOnlyOfMarkWords() {
        assertEquals(List.of("required", "secret"), EnvTemplate.marks("Django's signing key\nrequired, secret"));
        assertEquals(List.of("required", "server:hosts"), EnvTemplate.marks("@required @server:hosts"));
        assertEquals(List.of(), EnvTemplate.marks("the app does not start when required\nnot secret at all"));
    }

    @Test
    void theExampleAppsTemplateGeneratesItsSecretsAndKeepsItsDefaults() throws java.io.IOException {
        EnvTemplate template = EnvTemplate.from(DotEnv.parse(java.nio.file.Files.readString(
                java.nio.file.Path.of("examples/pyerp/.env.example")), ".env.example"), ".env.example");
        EnvMerge.Result result = EnvMerge.merge(template, DotEnv.parse("", "env-file"), DotEnv.parse("", ".env"),
                SERVER, FIXED);
        Map<String, Origin> origins = origins(result);
        assertEquals(Origin.GENERATED, origins.get("SECRET_KEY"));
        assertEquals(Origin.GENERATED, origins.get("DB_PASSWORD"));
        assertEquals(Origin.GENERATED, origins.get("MYSQL_ROOT_PASSWORD"));
        assertEquals(Origin.DEFAULT, origins.get("ALLOWED_HOSTS"));
        assertEquals(Origin.DEFAULT, origins.get("DB_HOST"));
        assertTrue(template.spec("DJANGO_SETTINGS_MODULE").required());
        assertEquals(Set.of("SECRET_KEY", "DB_PASSWORD", "MYSQL_ROOT_PASSWORD"), result.values().stream()
                .filter(EnvMerge.Value::secret).map(EnvMerge.Value::key).collect(Collectors.toSet()));
    }

    @Test
    void theDocumentedTemplateMeansWhatTheDocumentationSays() throws java.io.IOException {
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("docs/setup-server.md"));
        int start = readme.indexOf("# .env.example\n");
        EnvTemplate template = EnvTemplate.from(DotEnv.parse(readme.substring(start, readme.indexOf("```", start)),
                "docs/setup-server.md"), "docs/setup-server.md");
        EnvMerge.Result result = EnvMerge.merge(template, DotEnv.parse("EMAIL_HOST=smtp.example.com", "env-file"),
                DotEnv.parse("", ".env"), SERVER, FIXED);
        assertEquals(Map.of("SECRET_KEY", Origin.GENERATED, "DEBUG", Origin.DEFAULT, "ALLOWED_HOSTS", Origin.SERVER,
                "EMAIL_HOST", Origin.SOURCE, "DB_PASSWORD", Origin.GENERATED, "TIME_ZONE", Origin.DEFAULT), origins(result));
        assertThrows(EnvMerge.MissingRequired.class, () -> EnvMerge.merge(template, DotEnv.parse("", "env-file"),
                DotEnv.parse("", ".env"), SERVER, FIXED));
    }

    @ParameterizedTest
    @ValueSource(strings = {"DB_PASSWORD", "SECRET_KEY", "JWT_SECRET", "AWS_SECRET_ACCESS_KEY", "GITHUB_TOKEN",
            "db_password", "PASSWORD"})
    void secretNames(String key) {
        assertTrue(EnvTemplate.isSecretName(key));
    }

    @ParameterizedTest
    @ValueSource(strings = {"DEBUG", "SECRETARY", "TOKEN_URL", "PASSWORD_MIN_LENGTH", "KEY", "ALLOWED_HOSTS"})
    void notSecretNames(String key) {
        assertFalse(EnvTemplate.isSecretName(key));
    }

    @Test
    void rejectsAnUnknownServerFact() {
        assertEquals("env-template: HOST is marked 'server:fqdn'; use server:hostname, server:ip or server:hosts",
                assertThrows(IllegalArgumentException.class, () -> EnvTemplate.from(DotEnv.parse("HOST= # @server:fqdn",
                        "t"), "env-template")).getMessage());
    }

    @Test
    void generatedSecretsAreLongRandomAndNeedNoQuoting() {
        SecretGenerator generator = SecretGenerator.secure();
        String password = generator.generate("DB_PASSWORD");
        String key = generator.generate("SECRET_KEY");
        assertTrue(password.matches("[A-Za-z0-9]{32}"), password);
        assertTrue(key.matches("[A-Za-z0-9_-]{50}"), key);
        assertNotEquals(password, generator.generate("DB_PASSWORD"));
        assertEquals("K=" + key + "\n", DotEnv.write(Map.of("K", key)));
        Set<String> many = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            many.add(generator.generate("X_TOKEN"));
        }
        assertEquals(1000, many.size());
    }

    @Test
    void serverFacts() {
        assertEquals("erp1", SERVER.value(ServerFact.HOSTNAME));
        assertEquals("203.0.113.7", SERVER.value(ServerFact.IP));
        assertEquals("h", ServerFacts.parse("h\n", " \n").value(ServerFact.HOSTS));
        assertEquals("", ServerFacts.parse("h", "").value(ServerFact.IP));
    }
}
