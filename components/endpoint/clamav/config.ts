/**
 * clamd.conf and freshclam.conf for the central ClamAV, and the clamd.conf an agent's clamdscan reads
 * to find it: pure functions of a few settings, one directive a line. Option names, defaults and
 * meanings are ClamAV 1.4's (Cisco-Talos/clamav@clamav-1.4.5: etc/clamd.conf.sample,
 * etc/freshclam.conf.sample, common/optparser.c); the tests run every rendering through Debian's
 * clamconf, and the server's through a real clamd.
 */

/** Where the signatures live, in the image and on the volume (the image's DATABASE_DIRECTORY). */
export const DATABASE_DIRECTORY = "/var/lib/clamav";
/** freshclam's public CDN (freshclam.conf.sample: "database.clamav.net is now the primary domain name"). */
export const PUBLIC_DATABASE_MIRROR = "database.clamav.net";

export interface ClamdConfOptions {
  readonly databaseDirectory: string;
  readonly temporaryDirectory: string;
  readonly port: number;
  /** Addresses to listen on; none: every address (clamd.conf.sample `TCPAddr`: "By default we bind to INADDR_ANY"). */
  readonly listen?: readonly string[];
  /** Largest stream accepted (clamd closes the connection beyond it); also bounds what an agent sends. */
  readonly streamMaxLength?: string;
  readonly maxThreads?: number;
}

const HEADER = (file: string) =>
  `# ${file} rendered by Fortress (components/endpoint/clamav/config.ts); do not edit.`;

/**
 * The clamd of the lab. Choices, with their source:
 * - `ConcurrentDatabaseReload no`: a reload frees the engine before loading the new one instead of
 *   holding two (clamd.conf.sample: "This feature requires more RAM ... block scans during reload in
 *   exchange for lower RAM requirements"), so the pod's limit is the resident size, not twice it.
 * - `ExtendedDetectionInfo yes`: a detection is reported as `Name(hash:size) FOUND` when clamd has
 *   the hash, to the client too (clamd/scanner.c: `mdprintf(odesc, "stream: %s(%s:%llu) FOUND"...)`),
 *   the form Wazuh's `clamd-found` decoder reads (`(\S+):\s+(\S+)\((\S+):`); activeResponse.ts
 *   completes the form when clamd has no hash to give.
 * - `Foreground yes`, no LogFile: clamd logs through logg(), which prints to stdout while in the
 *   foreground (common/output.c, `logg_foreground`), the container's log.
 * - `SelfCheck 600`: clamd notices freshclam's new files itself and reloads (clamd.conf.sample).
 *   freshclam's `NotifyClamd` is not used, so no client has a reason to send RELOAD.
 * - `User` unset: clamd starts as the image's clamav user; `User` only works when started as root.
 */
export function renderClamdConf(options: ClamdConfOptions): string {
  const lines = [
    HEADER("clamd.conf"),
    "Foreground yes",
    "LogTime yes",
    "LogClean no",
    "ExtendedDetectionInfo yes",
    `DatabaseDirectory ${options.databaseDirectory}`,
    `TemporaryDirectory ${options.temporaryDirectory}`,
    `TCPSocket ${options.port}`,
    ...(options.listen ?? []).map((address) => `TCPAddr ${address}`),
    `StreamMaxLength ${options.streamMaxLength ?? "100M"}`,
    `MaxThreads ${options.maxThreads ?? 4}`,
    "ConcurrentDatabaseReload no",
    "SelfCheck 600",
    "Bytecode yes",
  ];
  return `${lines.join("\n")}\n`;
}

export interface FreshclamConfOptions {
  readonly databaseDirectory: string;
  /**
   * A private mirror (cvdupdate, a web server with the .cvd/.cdiff files), `http(s)://host[:port][/path]`;
   * none: the public CDN.
   */
  readonly mirror?: string;
  /** Database checks per day (freshclam.conf.sample `Checks`, default 12). */
  readonly checks?: number;
}

/**
 * freshclam, running as a daemon beside clamd:
 * - a private mirror is a `PrivateMirror` (freshclam.conf.sample: it "overrides DatabaseMirror,
 *   DNSDatabaseInfo and ScriptedUpdates"; freshclam/freshclam.c `get_database_server_list` refuses one
 *   under *.clamav.net and prefixes `http://` to a bare host), else `DatabaseMirror database.clamav.net`;
 * - `TestDatabases no`: freshclam would otherwise load every new database into memory to test it
 *   ("This feature uses a lot of RAM"), a second 1.2 GB peak in the same pod;
 * - no `NotifyClamd`: clamd's `SelfCheck` picks the update up.
 */
export function renderFreshclamConf(options: FreshclamConfOptions): string {
  const mirror = options.mirror;
  if (mirror !== undefined && /\s/.test(mirror)) throw new Error("a mirror URL has no whitespace");
  const lines = [
    HEADER("freshclam.conf"),
    "Foreground yes",
    "LogTime yes",
    `DatabaseDirectory ${options.databaseDirectory}`,
    mirror === undefined ? `DatabaseMirror ${PUBLIC_DATABASE_MIRROR}` : `PrivateMirror ${mirror}`,
    `Checks ${options.checks ?? 12}`,
    "TestDatabases no",
    "Bytecode yes",
  ];
  return `${lines.join("\n")}\n`;
}

export interface ClientConfOptions {
  /** The host an agent reaches clamd at (a name that resolves to the k3s nodes, or one address). */
  readonly host: string;
  readonly port: number;
}

/**
 * What clamdscan on an agent reads (`--config-file`): only where clamd is. clamdscan connects to
 * TCPAddr:TCPSocket (clamdscan/client.c reads them from clamd.conf); `--stream` sends the file's
 * bytes, so clamd needs no access to the agent's disk. One address only: clamconf accepts TCPAddr
 * twice, but Debian's clamdscan 1.4.6 gives up after the first refuses (clamavTools.test.ts shows it),
 * so a second line would be no fallback.
 */
export function renderClientConf(options: ClientConfOptions): string {
  if (!/^[A-Za-z0-9.:-]+$/.test(options.host)) throw new Error(`not a host name or address: ${options.host}`);
  return `${[HEADER("clamd.conf for clamdscan"), `TCPSocket ${options.port}`, `TCPAddr ${options.host}`].join("\n")}\n`;
}
