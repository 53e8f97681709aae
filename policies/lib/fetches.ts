/**
 * URLs a command fetches that move: a branch or "latest" instead of a release or a commit. A string is
 * read only when it fetches (curl, wget, Invoke-WebRequest, git clone, ADD), so a URL that is only named
 * (a description, a hostname) is not judged.
 */
const FETCH = /\b(curl|wget|Invoke-WebRequest|iwr|git\s+clone|ADD)\b/;
const URL_IN_TEXT = /https?:\/\/[^\s"'`<>|;)\\]+/g;
/** Path segments that follow the newest build or a branch. */
const MOVING_SEGMENT = /\/(latest|master|main|HEAD|nightly|edge|trunk|develop)(\/|$|\.)/;
const COMMIT = /^[0-9a-f]{40}$/;
const RELEASE_TAG = /^v?\d+(\.\d+)+([-+][\w.]+)?$/;

export interface MovingFetch {
  readonly url: string;
  readonly why: string;
}

export function movingFetches(text: string): MovingFetch[] {
  if (!FETCH.test(text)) return [];
  const found: MovingFetch[] = [];
  for (const [url] of text.matchAll(URL_IN_TEXT)) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      continue;
    }
    const path = parsed.pathname;
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
