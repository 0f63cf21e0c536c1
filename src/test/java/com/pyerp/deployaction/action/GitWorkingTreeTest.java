package com.pyerp.deployaction.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitWorkingTreeTest {

    @TempDir
    Path repo;

    @Test
    void branchCommitDateAndRepositoryFromTheRemote() throws Exception {
        TestGit.init(repo, "dev");
        TestGit.run(repo, "remote", "add", "origin", "git@github.com:PyERP/pyerp.git");
        GitHubContext context = new GitWorkingTree(repo).context(Map.of());
        assertEquals("refs/heads/dev", context.ref());
        assertEquals(TestGit.run(repo, "rev-parse", "HEAD"), context.sha());
        assertEquals("PyERP/pyerp", context.repository());
        assertEquals("push", context.eventName());
        assertNotNull(context.commitDate());
    }

    @Test
    void detachedHeadOnATagIsATagRef() throws Exception {
        TestGit.init(repo, "main");
        TestGit.run(repo, "tag", "v2.0.0");
        TestGit.run(repo, "checkout", "-q", "--detach", "v2.0.0");
        assertEquals("refs/tags/v2.0.0", new GitWorkingTree(repo).context(Map.of()).ref());
    }

    @Test
    void theEnvironmentNamesTheRepositoryWhenSet() throws Exception {
        TestGit.init(repo, "main");
        assertEquals("o/r", new GitWorkingTree(repo).context(Map.of("GITHUB_REPOSITORY", "o/r")).repository());
        assertTrue(new GitWorkingTree(repo).context(Map.of()).repository().startsWith("local/"));
    }

    @Test
    void notACheckoutIsAClearError() {
        ActionException e = assertThrows(ActionException.class, () -> new GitWorkingTree(repo).context(Map.of()));
        assertEquals("No git checkout", e.title());
    }

    @Test
    void remoteUrlForms() {
        assertEquals("o/r", GitWorkingTree.repositoryFromRemote("https://github.com/o/r.git"));
        assertEquals("o/r", GitWorkingTree.repositoryFromRemote("https://github.com/o/r"));
        assertEquals("o/r", GitWorkingTree.repositoryFromRemote("git@github.com:o/r.git"));
        assertEquals("o/r", GitWorkingTree.repositoryFromRemote("ssh://git@ghe.local:2222/o/r.git"));
        assertEquals("", GitWorkingTree.repositoryFromRemote("/srv/git"));
    }
}
