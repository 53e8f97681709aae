/**
 * The feeds Fortress can turn on in MISP, each as MISP ships it in its default feed metadata
 * (MISP/MISP@bb0909a:app/files/feed-metadata/defaults.json: name, provider, url, source_format,
 * distribution, input_source). Offline-first: no feed is enabled unless the stack's configuration names
 * it (`feeds`), so a lab without Internet access never has MISP pulling anything; each enabled feed is
 * fetched by misp-core's cron every FETCH_FEED_INTERVAL (compose.ts).
 * The catalog is small on purpose: open MISP-format feeds whose attributes the worked example looks up
 * (file hashes, URLs, domains, IPs) and that need no licence or account.
 */
export interface MispFeed {
  readonly name: string;
  readonly provider: string;
  readonly url: string;
  readonly source_format: "misp" | "freetext" | "csv";
  readonly distribution: string;
  readonly input_source: "network";
}

const mispFeed = (name: string, provider: string, url: string, distribution: string): MispFeed => ({
  name,
  provider,
  url,
  source_format: "misp",
  distribution,
  input_source: "network",
});

export const FEED_CATALOG = {
  "circl-osint": mispFeed("CIRCL OSINT Feed", "CIRCL", "https://www.circl.lu/doc/misp/feed-osint", "3"),
  "botvrij-osint": mispFeed(
    "The Botvrij.eu Data",
    "Botvrij.eu",
    "https://www.botvrij.eu/data/feed-osint",
    "3",
  ),
  "abusech-threatfox": mispFeed("Threatfox", "abuse.ch", "https://threatfox.abuse.ch/downloads/misp/", "0"),
  "abusech-malwarebazaar": mispFeed(
    "MalwareBazaar",
    "abuse.ch",
    "https://bazaar.abuse.ch/downloads/misp/",
    "0",
  ),
  "abusech-urlhaus": mispFeed("URLhaus", "abuse.ch", "https://urlhaus.abuse.ch/downloads/misp/", "0"),
} as const satisfies Record<string, MispFeed>;

export type FeedName = keyof typeof FEED_CATALOG;
export const FEED_NAMES = Object.keys(FEED_CATALOG) as FeedName[];
/** What `feeds: default` in the stack's configuration means: MISP's own two default feeds plus abuse.ch's hashes. */
export const DEFAULT_FEEDS: readonly FeedName[] = ["circl-osint", "botvrij-osint", "abusech-malwarebazaar"];

export function feedProblems(names: readonly string[]): string[] {
  const problems = names.filter((name) => !(name in FEED_CATALOG)).map((name) => `unknown MISP feed ${name}`);
  if (new Set(names).size !== names.length) problems.push("a MISP feed is named twice");
  return problems;
}

/** The document `fortress_misp.py feeds` reads: feeds to enable, catalog URLs to keep disabled. */
export function desiredFeeds(names: readonly FeedName[]): { enable: MispFeed[]; disable: string[] } {
  const chosen = new Set<string>(names);
  return {
    enable: names.map((name) => FEED_CATALOG[name]),
    disable: FEED_NAMES.filter((name) => !chosen.has(name)).map((name) => FEED_CATALOG[name].url),
  };
}
