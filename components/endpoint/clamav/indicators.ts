/**
 * Fortress's own indicators of compromise: files known by their SHA-256 and size, turned into a
 * ClamAV hash database (`fortress.hsb`) that clamd loads beside the official ones, so that detection
 * works with no signature download at all (a lab without internet, a first start before freshclam).
 *
 * The `.hsb` format is `HashString:FileSize:MalwareName` (Cisco-Talos/clamav@clamav-1.4.5
 * libclamav/readdb.c `cli_loadhash`: `#` lines are comments, at least 3 `:`-separated fields, the size
 * a decimal from 1 to 0xfffffffe; a `.hsb` is read as MD5_HDB, any hash length). ClamAV appends
 * `.UNOFFICIAL` to the names of an unsigned database (`CLI_MPOOL_VIRNAME`), so a detection reads
 * `Fortress.Test.Eicar.UNOFFICIAL`.
 *
 * Names go into the clamd log line that Wazuh's `clamd-found` decoder splits with `(\S+)\(`, so they
 * are restricted to letters, digits, dots, dashes and underscores.
 */

export interface Indicator {
  /** The signature name: `Fortress.<Category>.<Name>`. */
  readonly name: string;
  readonly sha256: string;
  /** Bytes. */
  readonly size: number;
  /** Where the indicator comes from, and why it is here. */
  readonly source: string;
}

export const INDICATORS: readonly Indicator[] = [
  {
    name: "Fortress.Test.Eicar",
    sha256: "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f",
    size: 68,
    source:
      "The EICAR anti-malware test file (eicar.org, 68 bytes, no trailing newline): the sample of the worked example, detected offline too",
  },
  {
    name: "Fortress.Test.WorkedExample",
    sha256: "92f6b9577bd8fa09ce0a98c39d64df5f677d56841935944f28411c7e5416ccb5",
    size: 202,
    source:
      "components/endpoint/clamav/fixtures/fortress-test-sample.txt: a harmless file no other vendor flags, so a detection proves Fortress's database is loaded",
  },
];

const NAME = /^Fortress\.[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)+$/;
const SHA256 = /^[0-9a-f]{64}$/;

/** Problems with a list, one line each (empty when it can be rendered). */
export function indicatorProblems(indicators: readonly Indicator[]): string[] {
  const problems: string[] = [];
  const names = new Set<string>();
  const hashes = new Set<string>();
  for (const indicator of indicators) {
    const who = `indicator ${JSON.stringify(indicator.name)}`;
    if (!NAME.test(indicator.name)) {
      problems.push(`${who}: the name must be Fortress.<Category>.<Name> in letters, digits, _ and -`);
    }
    if (!SHA256.test(indicator.sha256)) problems.push(`${who}: sha256 must be 64 lower-case hex digits`);
    if (!Number.isInteger(indicator.size) || indicator.size < 1 || indicator.size >= 0xffffffff) {
      problems.push(`${who}: size must be the file's size in bytes, 1 to 4294967294`);
    }
    if (indicator.source.trim() === "") problems.push(`${who}: say where the indicator comes from`);
    if (names.has(indicator.name)) problems.push(`${who}: the name is listed twice`);
    if (hashes.has(indicator.sha256)) problems.push(`${who}: the hash is listed twice`);
    names.add(indicator.name);
    hashes.add(indicator.sha256);
  }
  if (indicators.length === 0) problems.push("the list is empty (clamd refuses an empty database)");
  return problems;
}

/** The `.hsb` database: a comment header, then one `sha256:size:name` line per indicator, sorted by name. */
export function renderHashDatabase(indicators: readonly Indicator[] = INDICATORS): string {
  const problems = indicatorProblems(indicators);
  if (problems.length > 0) throw new Error(`Fortress indicators:\n${problems.join("\n")}`);
  const lines = [...indicators]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((indicator) => `${indicator.sha256}:${indicator.size}:${indicator.name}`);
  return `# Fortress indicators (components/endpoint/clamav/indicators.ts)\n${lines.join("\n")}\n`;
}

/** The database's file name in clamd's DatabaseDirectory; the extension selects the format. */
export const HASH_DATABASE_FILE = "fortress.hsb";
