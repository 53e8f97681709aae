/**
 * `npm run scenario [-- --config Pulumi.<stack>.yaml]`: the worked example offline (this machine's real
 * ClamAV, Fortress's programs, the loopback doubles) put together from that stack's lab model (default
 * Pulumi.home.yaml), hop by hop with timings (a hop the lab does not have: skipped, with why), then a
 * burst of alerts.
 * `npm run scenario -- --live [--stack NAME] [--workstation NAME]`: the same hops against the deployed
 * lab (scenario/live/stack.ts says what it reads); the host is released at the end, also on Ctrl-C.
 * Options: `--burst ALERTS/HOSTS` (default 200/20; `--burst 0` skips it), `--timeout SECONDS` per hop.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { ScenarioEndpoints } from "./endpoints";
import { runWorkedExample, type HopResult } from "./hops";
import { liveEndpoints } from "./live/endpoints";
import { openSshTransport } from "./live/ssh";
import { readStack } from "./live/stack";
import { runBurst } from "./offline/burst";
import { offlineEndpoints } from "./offline/endpoints";
import { startOfflineLab } from "./offline/lab";
import { offlineLabConfig } from "./offline/labConfig";
import { DEFAULT_STACK_FILE, labModelOf } from "./offline/stackModel";
import { runProcess } from "./offline/proc";
import { burstLines, header, hopLine, nextPrevious, summary } from "./report";

/** The worked-example sample: its SHA-256 is in Fortress's signature database (components/endpoint/clamav/indicators.ts). */
export const SAMPLE = readFileSync(
  join(__dirname, "../components/endpoint/clamav/fixtures/fortress-test-sample.txt"),
);

export interface CliOptions {
  readonly live: boolean;
  /** Offline: the stack file whose lab model the offline lab is made from. */
  readonly config?: string;
  readonly stack?: string;
  readonly workstation?: string;
  readonly burst: { readonly alerts: number; readonly hosts: number };
  readonly timeoutMs?: number;
}

export function parseArgs(argv: readonly string[]): CliOptions {
  const value = (flag: string) => {
    const index = argv.indexOf(flag);
    if (index < 0) return undefined;
    const next = argv[index + 1];
    if (next === undefined || next.startsWith("--")) throw new Error(`${flag} needs a value`);
    return next;
  };
  const known = new Set(["--live", "--config", "--stack", "--workstation", "--burst", "--timeout"]);
  for (const arg of argv)
    if (arg.startsWith("--") && !known.has(arg)) throw new Error(`unknown option ${arg}`);
  const burst = value("--burst") ?? "200/20";
  const [alerts, hosts] = burst === "0" ? [0, 0] : burst.split("/").map(Number);
  if (!Number.isInteger(alerts) || !Number.isInteger(hosts) || (alerts! > 0 && (hosts! < 1 || hosts! > 100)))
    throw new Error(`--burst ${burst}: ALERTS/HOSTS, e.g. 200/20 (at most 100 hosts), or 0`);
  const timeout = value("--timeout");
  const live = argv.includes("--live");
  if (live && value("--config"))
    throw new Error("--config is for the offline lab; --live reads the deployed stack (--stack NAME)");
  return {
    live,
    ...(value("--config") ? { config: value("--config")! } : {}),
    ...(value("--stack") ? { stack: value("--stack")! } : {}),
    ...(value("--workstation") ? { workstation: value("--workstation")! } : {}),
    burst: { alerts: alerts!, hosts: hosts! },
    ...(timeout ? { timeoutMs: Number(timeout) * 1000 } : {}),
  };
}

/** Runs the hops, printing each as it is seen. */
async function drill(
  endpoints: ScenarioEndpoints,
  options: { timeoutMs: number; intervalMs: number; graceMs: number; signal: AbortSignal },
) {
  let previous = 0;
  const onHop = (hop: HopResult) => {
    console.log(hopLine(hop, previous));
    previous = nextPrevious(hop, previous);
  };
  const name = `fortress-worked-example-${new Date().toISOString().replace(/[:.]/g, "-")}.txt`;
  const result = await runWorkedExample(endpoints, { name, bytes: SAMPLE }, { ...options, onHop });
  console.log(summary(result));
}

async function offline(options: CliOptions, signal: AbortSignal): Promise<void> {
  const started = Date.now();
  const file = options.config ?? DEFAULT_STACK_FILE;
  const config = offlineLabConfig(labModelOf(file));
  const lab = await startOfflineLab(config);
  try {
    const parts = [
      "Debian's clamd/clamdscan",
      ...(lab.theHive ? ["loopback TheHive"] : []),
      "OPNsense",
      ...(lab.greenbone ? ["gvmd"] : []),
    ];
    console.log(
      header(
        "offline",
        `${file}, profile ${config.profile}; ${parts.join(", ")}; lab up in ${Date.now() - started} ms`,
      ),
    );
    const endpoints = offlineEndpoints(lab);
    await drill(endpoints, { timeoutMs: options.timeoutMs ?? 30_000, intervalMs: 10, graceMs: 5000, signal });
    if (options.burst.alerts > 0) console.log(burstLines(await runBurst(lab, endpoints, options.burst)));
  } finally {
    await lab.close();
  }
}

async function live(options: CliOptions, signal: AbortSignal): Promise<void> {
  const stack = await readStack((binary, args) => runProcess(binary, args), {
    ...(options.stack ? { stack: options.stack } : {}),
    ...(options.workstation ? { workstation: options.workstation } : {}),
    env: process.env,
  });
  const transport = openSshTransport(stack.adminUser, stack.sshPrivateKey);
  try {
    console.log(
      header(
        "live",
        `${stack.workstation.name} (${stack.workstation.address}), TheHive ${stack.theHive.url}, ${stack.opnsense.url}`,
      ),
    );
    // After a failure, a containment still on its way is waited for (and released) for two minutes.
    await drill(liveEndpoints(stack, transport), {
      timeoutMs: options.timeoutMs ?? 600_000,
      intervalMs: 2000,
      graceMs: 120_000,
      signal,
    });
  } finally {
    await transport.close();
  }
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  const controller = new AbortController();
  process.on("SIGINT", () => {
    if (controller.signal.aborted) process.exit(130);
    console.error(
      "interrupted: releasing the host and removing the test file (Ctrl-C again to quit at once)",
    );
    controller.abort();
  });
  await (options.live ? live(options, controller.signal) : offline(options, controller.signal));
  return 0;
}

if (require.main === module)
  main().then(
    (code) => process.exit(code),
    (error: Error) => {
      console.error(`scenario failed: ${error.message}`);
      process.exit(1);
    },
  );
