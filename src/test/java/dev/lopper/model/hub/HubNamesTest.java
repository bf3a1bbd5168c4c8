package dev.lopper.model.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lopper.LopperException;
import org.junit.jupiter.api.Test;

/** Repo ids as huggingface_hub's validate_repo_id, paths that stay in the cache, URL quoting. */
class HubNamesTest {
  @Test
  void repoIdsFollowTheHubRules() {
    for (String ok :
        new String[] {"gpt2", "EleutherAI/gpt-neo-125m", "123", "Foo-BAR_foo.bar123", "a/b"}) {
      assertTrue(HubNames.isRepoId(ok), ok);
    }
    for (String bad :
        new String[] {
          "datasets/foo/bar",
          ".repo_id",
          "foo--bar",
          "foo.git",
          "other..repo",
          "-x",
          "x-",
          "",
          "./model",
          "/abs/path",
          "a b",
          "a/",
          "/a",
          "x".repeat(97)
        }) {
      assertFalse(HubNames.isRepoId(bad), bad);
    }
  }

  @Test
  void pathsAndRevisionsCannotLeaveTheCache() {
    assertEquals("sub/dir/file.json", HubNames.checkRelativePath("sub/dir/file.json"));
    String[] bad = {"../x", "a/../../x", "/etc/passwd", "C:\\x", "a\\b", "", "a//b", "a/./b"};
    for (String path : bad) {
      assertThrows(LopperException.class, () -> HubNames.checkRelativePath(path), path);
    }
    assertEquals("refs/pr/1", HubNames.checkRevision("refs/pr/1"));
    assertThrows(LopperException.class, () -> HubNames.checkRevision("../../x"));
    assertThrows(HubException.class, () -> HubNames.checkSafeName("etag", "../x", "u"));
    assertThrows(HubException.class, () -> HubNames.checkSafeName("etag", "..", "u"));
  }

  @Test
  void urlQuotingMatchesHfHubUrl() {
    // huggingface_hub: quote(revision, safe="") and quote(filename) (safe="/")
    assertEquals("refs%2Fpr%2F1", HubHttp.quote("refs/pr/1", false));
    assertEquals("dir/a%20b%2Bc.json", HubHttp.quote("dir/a b+c.json", true));
    assertEquals("%C3%A9t%C3%A9", HubHttp.quote("été", true));
    assertEquals("abc", HubHeaders.normalizeEtag("W/\"abc\""));
    assertEquals("abc", HubHeaders.normalizeEtag("\"abc\""));
  }

  @Test
  void repoFolderNameReplacesSlashes() {
    assertEquals("models--gpt2", HubCache.repoFolderName("gpt2"));
    assertEquals(
        "models--EleutherAI--gpt-neo-125m", HubCache.repoFolderName("EleutherAI/gpt-neo-125m"));
  }
}
