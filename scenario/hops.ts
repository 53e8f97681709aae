/**
 * The worked example, hop by hop (issue 14): a test file lands on the workstation, and each hop is
 * waited for through the products' own interfaces. The same code runs offline and live; only the
 * endpoints differ (scenario/endpoints.ts). The host is released at the end, also on failure or
 * interruption, and the test file is removed. A hop the lab does not have (no TheHive, no Greenbone, no
 * containment: ScenarioEndpoints.skipped) keeps its number and is reported as skipped with the reason.
 */
import * as ipaddr from "ipaddr.js";
import { CONTAIN_RULES } from "../components/siem/manager/ossecConf";
import type { ScenarioEndpoints } from "./endpoints";
import { quarantineTable, theHiveAlerts, waitFor } from "./observe";

/** The seven hops, by number. */
export const HOP_NAMES = [
  "clamd found the file",
  "Wazuh alert",
  "TheHive alert",
  "host in the quarantine table",
  "allow-listed addresses refused",
  "rescan requested",
  "host released",
] as const;

export interface HopResult {
  /** The hop's number in the issue (1–7), whichever hops the lab has. */
  readonly n: number;
  readonly name: string;
  /** ms from the file landing to this hop being seen (or its own timestamp, where the product gives one). */
  readonly at: number;
  readonly detail: readonly string[];
  /** Why the hop did not run: the lab does not have it (ScenarioEndpoints.skipped). */
  readonly skipped?: string;
}

export interface ScenarioOptions {
  /** How long each hop may take, ms. */
  readonly timeoutMs: number;
  readonly intervalMs: number;
  readonly signal?: AbortSignal;
  readonly onHop?: (hop: HopResult) => void;
  /**
   * After a failure or an interruption before the release: how long to keep watching the table for a
   * containment still on its way (the file has landed; the lab goes on), to release it. Default 0.
   */
  readonly graceMs?: number;
}

export interface ScenarioResult {
  readonly hops: readonly HopResult[];
  readonly path: string;
  readonly address: string;
  readonly alertId: string;
  /** The scan target rescanned (absent: no rescan in this lab). */
  readonly scanTarget?: string;
}

/** gvmd's task states of a scan that has been asked for or runs (gvmd src/manage.c task status names). */
export const SCAN_STARTED = ["Requested", "Queued", "Running", "Processing"];

/** The scan target whose CIDRs hold an address. */
export function scanTargetFor(targets: Readonly<Record<string, readonly string[]>>, address: string): string {
  const ip = ipaddr.parse(address);
  const found = Object.entries(targets).find(([, cidrs]) =>
    cidrs.some((cidr) => {
      const range = cidr.includes("/") ? ipaddr.parseCIDR(cidr) : ipaddr.parseCIDR(`${cidr}/32`);
      return ip.kind() === range[0].kind() && ip.match(range);
    }),
  );
  if (!found) throw new Error(`no Greenbone scan target covers ${address}`);
  return found[0];
}

type Wait = <T>(what: string, probe: () => Promise<T | undefined>) => Promise<T>;

interface Recorder {
  /** Hop `n` was seen `at` ms after the file landed. */
  seen(n: number, at: number, detail: string[]): void;
  /** Hop `n` does not exist in this lab, for `reason`. */
  skip(n: number, reason: string): void;
}

async function detectionAndAlert(
  endpoints: ScenarioEndpoints,
  path: string,
  landed: number,
  wait: Wait,
  hop: Recorder,
): Promise<string> {
  const line = await wait("the clamd detection line", async () =>
    (await endpoints.readDetectionLog())
      .split("\n")
      .find((entry) => entry.includes(`${path}: `) && entry.endsWith(" FOUND")),
  );
  const lineAt = Date.now() - landed;
  hop.seen(1, lineAt, [line]);
  const rule = String(CONTAIN_RULES[0]);
  const alert = await wait(`the Wazuh alert (rule ${rule})`, async () =>
    (await endpoints.wazuhAlerts(landed - 1000)).find(
      // By the file's name, unique to this run: TheHive shows the alert's full_log as the agent logged it.
      (seen) => seen.ruleId === rule && seen.fullLog.includes(`/${path.split("/").at(-1)}: `),
    ),
  );
  // The products' own timestamps where they give one (a poll sees things late), kept in hop order.
  const between = (own: number | undefined, earliest: number) =>
    own === undefined ? Date.now() - landed : Math.min(Date.now() - landed, Math.max(earliest, own - landed));
  const alertAt = between(alert.time, lineAt);
  hop.seen(2, alertAt, [`alert ${alert.id}, rule ${alert.ruleId}`]);
  const theHive = endpoints.theHive;
  if (!theHive) {
    hop.skip(3, endpoints.skipped!.theHive!);
    return alert.id;
  }
  const cases = await wait("the TheHive alert", async () => {
    const found = await theHiveAlerts(theHive, { _eq: { _field: "sourceRef", _value: alert.id } });
    return found.length > 0 ? found : undefined;
  });
  const first = cases[0]!;
  hop.seen(3, between(first._createdAt, alertAt), [`${first._id} "${first.title}" (sourceRef ${alert.id})`]);
  return alert.id;
}

async function containAndRescan(
  endpoints: ScenarioEndpoints,
  address: string,
  scanTarget: string | undefined,
  landed: number,
  wait: Wait,
  hop: Recorder,
): Promise<void> {
  await wait(`${address} in ${endpoints.opnsense.alias}`, async () =>
    (await quarantineTable(endpoints.opnsense)).includes(address) ? true : undefined,
  );
  const contained = Date.now() - landed;
  const gvmTaskStatus = endpoints.gvmTaskStatus;
  const rescan =
    scanTarget !== undefined && gvmTaskStatus
      ? wait(`the rescan of ${scanTarget}`, async () => {
          const status = await gvmTaskStatus(scanTarget);
          return SCAN_STARTED.includes(status) ? { status, at: Date.now() - landed } : undefined;
        })
      : undefined;
  // Waited for alongside what follows; a failure is reported by the await further down.
  rescan?.catch(() => undefined);
  const proof = endpoints.confirmContained ? await endpoints.confirmContained(address) : [];
  hop.seen(4, contained, [`${address} in ${endpoints.opnsense.alias}`, ...proof]);
  const refusals: string[] = [];
  for (const { address: protectedAddress, why } of endpoints.allowListed) {
    const tried = await endpoints.tryContain(protectedAddress);
    const table = await quarantineTable(endpoints.opnsense);
    if (tried.code !== 2 || table.includes(protectedAddress))
      throw new Error(
        `containing ${protectedAddress} (${why}) was not refused: exit ${tried.code} ${tried.stdout}${tried.stderr}`,
      );
    refusals.push(`${protectedAddress} (${why}): refused, exit 2${refusedLog(tried.stdout + tried.stderr)}`);
  }
  hop.seen(5, Date.now() - landed, refusals);
  if (!rescan) return hop.skip(6, endpoints.skipped!.rescan!);
  const { status, at } = await rescan;
  hop.seen(6, at, [`Greenbone task fortress-${scanTarget}: ${status}`]);
}

const refusedLog = (output: string) => {
  const line = output.split("\n").find((entry) => /result=refused|"result": "refused"/.test(entry));
  return line ? ` — ${line.trim().slice(0, 160)}` : "";
};

/** Each optional hop has its endpoint or a reason it is skipped: never neither, never both. */
function checkSkips(endpoints: ScenarioEndpoints): void {
  const skipped = endpoints.skipped ?? {};
  const optional: [string, boolean, string | undefined][] = [
    ["TheHive", endpoints.theHive !== undefined, skipped.theHive],
    ["the rescan", endpoints.gvmTaskStatus !== undefined, skipped.rescan],
  ];
  for (const [what, present, reason] of optional) {
    if (present && reason) throw new Error(`internal: ${what} is there and skipped (${reason})`);
    if (!present && !reason) throw new Error(`internal: ${what} is neither there nor skipped with a reason`);
  }
  if (skipped.containment && !skipped.rescan)
    throw new Error("internal: a lab without containment cannot rescan a contained host");
}

/**
 * Runs the worked example against `endpoints`; the host is released and the file removed whatever
 * happens. A hop the lab does not have (endpoints.skipped) is reported as skipped with its reason.
 */
export async function runWorkedExample(
  endpoints: ScenarioEndpoints,
  sample: { readonly name: string; readonly bytes: Buffer },
  options: ScenarioOptions,
): Promise<ScenarioResult> {
  checkSkips(endpoints);
  const { address, downloadDir } = endpoints.workstation;
  const noContainment = endpoints.skipped?.containment;
  const scanTarget = endpoints.gvmTaskStatus ? scanTargetFor(endpoints.scanTargets, address) : undefined;
  if (!noContainment && (await quarantineTable(endpoints.opnsense)).includes(address))
    throw new Error(`${address} is already in ${endpoints.opnsense.alias}: release it first`);
  // A scan already under way could not be told from the rescan the containment asks for.
  const scanBefore = scanTarget === undefined ? undefined : await endpoints.gvmTaskStatus!(scanTarget);
  if (scanBefore !== undefined && SCAN_STARTED.includes(scanBefore))
    throw new Error(
      `the Greenbone task fortress-${scanTarget} is already ${scanBefore}: run the drill when it is done`,
    );
  const hops: HopResult[] = [];
  const push = (hop: HopResult) => {
    hops.push(hop);
    options.onHop?.(hop);
    if (options.signal?.aborted) throw new Error(`interrupted after hop ${hop.n} (${hop.name})`);
  };
  const wait: Wait = (what, probe) =>
    waitFor(what, probe, {
      timeoutMs: options.timeoutMs,
      intervalMs: options.intervalMs,
      signal: options.signal,
    });
  const path = `${downloadDir}/${sample.name}`;
  const landed = Date.now();
  const hop: Recorder = {
    seen: (n, at, detail) => push({ n, name: HOP_NAMES[n - 1]!, at, detail }),
    skip: (n, reason) =>
      push({ n, name: HOP_NAMES[n - 1]!, at: Date.now() - landed, detail: [], skipped: reason }),
  };
  let released = false;
  try {
    await endpoints.dropFile(path, sample.bytes);
    const alertId = await detectionAndAlert(endpoints, path, landed, wait, hop);
    if (noContainment) {
      for (const n of [4, 5, 6, 7]) hop.skip(n, noContainment);
      return { hops, path, address, alertId };
    }
    await containAndRescan(endpoints, address, scanTarget, landed, wait, hop);
    const release = await endpoints.release(address);
    if (release.code !== 0) throw new Error(`release of ${address}: exit ${release.code} ${release.stderr}`);
    released = true;
    await wait(`${address} out of ${endpoints.opnsense.alias}`, async () =>
      (await quarantineTable(endpoints.opnsense)).includes(address) ? undefined : true,
    );
    hop.seen(7, Date.now() - landed, [`${address} out of ${endpoints.opnsense.alias}`]);
    return { hops, path, address, alertId, ...(scanTarget === undefined ? {} : { scanTarget }) };
  } finally {
    const releasing = !released && !noContainment;
    await cleanUp(endpoints, path, address, releasing ? (options.graceMs ?? 0) : 0, releasing);
  }
}

/**
 * Whatever happened: a host the scenario got contained is released (after a failure, a containment
 * still on its way is waited for, up to `graceMs`: the file stays meanwhile, as it would on the
 * workstation), then the file goes.
 */
async function cleanUp(
  endpoints: ScenarioEndpoints,
  path: string,
  address: string,
  graceMs: number,
  releasing: boolean,
) {
  if (releasing) {
    const contained = await waitFor(
      `${address} in ${endpoints.opnsense.alias}`,
      async () => ((await quarantineTable(endpoints.opnsense)).includes(address) ? true : undefined),
      { timeoutMs: graceMs, intervalMs: Math.min(1000, Math.max(10, graceMs / 10)) },
    ).catch(() => false);
    if (contained) await endpoints.release(address).catch(() => undefined);
  }
  await endpoints.removeFile(path).catch(() => undefined);
}

export interface Figures {
  readonly landedToContainedMs: number;
  readonly withoutScanMs: number;
  readonly targetMs: number;
}

/** The figure: file landing → host in the table, and the same without the clamd scan (≤ 2 s here); none without containment. */
export function figures(result: ScenarioResult): Figures | undefined {
  const detected = result.hops.find((hop) => hop.n === 1)!.at;
  const contained = result.hops.find((hop) => hop.n === 4);
  if (!contained || contained.skipped) return undefined;
  return { landedToContainedMs: contained.at, withoutScanMs: contained.at - detected, targetMs: 2000 };
}
