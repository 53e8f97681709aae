/**
 * URLs a command fetches that move: a branch or "latest" instead of a release or a commit. A string is
 * read only when it fetches (curl, wget, Invoke-WebRequest, git clone, ADD), so a URL that is only named
 * (a description, a hostname) is not judged.
 */
const FETCH = /\b(curl|wget|Invoke-WebRequest|iwr|git\s+clone|ADD)\b/;
const URL_IN_TEXT = /https?:\/\/[^\s"'`<>|;)\\]+/g;
/** Path segments that follow the newest build or a branch. */
const MOVING_SEGMENT = /\/(latest|master|main|HEAD|nightly|edge|trunk|develop|stable|current)(\/|$|\.)/;
/** Installer hosts that serve whatever is newest at their root (get.docker.com's script installs the newest Docker). */
const MOVING_HOSTS = new Set(["get.docker.com", "test.docker.com", "sh.rustup.rs"]);
/** Package managers told to install the newest release: `go install x@latest`, `npx y@latest`. */
const LATEST_PACKAGE =
  /\b(go\s+install|npx|npm\s+(?:i|install)(?:\s+-g)?|pnpm\s+add|yarn\s+add|pipx\s+install)\s+(\S+@latest)\b/g;
/** `git clone URL` that names no ref, and checks none out after: it takes the default branch. */
const GIT_CLONE = /\bgit\s+clone\s+((?:-[^\s]+\s+)*)(https?:\/\/\S+|git@\S+)/g;
const COMMIT = /^[0-9a-f]{40}$/;
const RELEASE_TAG = /^v?\d+(\.\d+)+([-+][\w.]+)?$/;

export interface MovingFetch {
  readonly url: string;
  readonly why: string;
}

export function movingFetches(text: string): MovingFetch[] {
  // Most strings of a plan hold no URL and no package: leave them before any pattern runs.
  if (!text.includes("://") && !text.includes("@")) return [];
  const found: MovingFetch[] = [];
  if (text.includes("@latest")) {
    for (const match of text.matchAll(LATEST_PACKAGE))
      found.push({ url: match[2] ?? "", why: "the @latest release" });
  }
  for (const match of text.includes("clone") ? text.matchAll(GIT_CLONE) : []) {
    const options = match[1] ?? "";
    if (
      !/(^|\s)(-b|--branch)(\s|=)/.test(options) &&
      !/\bgit\s+(-C\s+\S+\s+)?(checkout|switch|reset\s+--hard)\s+\S+/.test(text)
    )
      found.push({
        url: match[2] ?? "",
        why: "the repository's default branch (no --branch and no checkout)",
      });
  }
  if (!text.includes("://") || !FETCH.test(text)) return found;
  for (const [url] of text.matchAll(URL_IN_TEXT)) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      continue;
    }
    const path = parsed.pathname;
    if (MOVING_HOSTS.has(parsed.hostname)) {
      found.push({ url, why: `${parsed.hostname}, an installer host that serves the newest release` });
      continue;
    }
    const segment = MOVING_SEGMENT.exec(path)?.[1];
    if (segment) {
      found.push({ url, why: `"${segment}"` });
      continue;
    }
    if (/\/refs\/heads\//.test(path)) {
      found.push({ url, why: "a branch (refs/heads)" });
      continue;
    }
    if (parsed.hostname === "raw.githubusercontent.com") {
      // raw.githubusercontent.com/<owner>/<repo>/<ref>/<path>: the ref must be a commit or a release tag.
      const ref = path.split("/")[3] ?? "";
      if (ref !== "refs" && !COMMIT.test(ref) && !RELEASE_TAG.test(ref)) {
        found.push({ url, why: `the ref ${ref || "(none)"}, which is neither a commit nor a release tag` });
      }
    }
  }
  return found;
}
