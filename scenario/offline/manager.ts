/**
 * The Wazuh manager of the offline lab: analysisd (scenario/wazuh.ts: the line decoded and matched as
 * Wazuh 4.14 does), alerts.json, integratord and execd, each running the real Fortress programs.
 *
 * integratord (wazuh/wazuh@v4.14.6 src/os_integrator/integrator.c): for every alert and every
 * `<integration>` block whose filters pass, it writes the alert as one JSON line to a temporary file
 * and runs `<script> <alert file> <api_key> <hook_url> <debug> <options file> <timeout> <retries>`,
 * waiting for it (wpclose) before the next: one program at a time.
 * execd (src/os_execd/execd.c): writes the message ar_json.c built (command add, program), reads the
 * script's check_keys line, keeps `<name><keys>` in its timeout list for the response's timeout and
 * answers `abort` while a key is held, `continue` otherwise; it, too, runs one program at a time.
 * The two daemons run side by side, so an alert's integration and active response overlap.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import * as ipaddr from "ipaddr.js";
import type { Integration } from "../../components/siem/manager/ossecConf";
import { CONTAIN_COMMAND } from "../../components/siem/manager/ossecConf";
import type { CommandResult } from "../endpoints";
import {
  alertFromClamdLine,
  execdAnswer,
  execdMessage,
  integrationsFor,
  type Agent,
  type WazuhAlert,
} from "../wazuh";
import { runProcess, SerialQueue } from "./proc";

export interface ManagerOptions {
  readonly dir: string;
  readonly name: string;
  readonly integrations: readonly Integration[];
  /** custom-thehive and its options file (api_key_file, ca_file, log_file, retry_pause). */
  readonly integration: { readonly script: string; readonly options: string };
  /** fortress-contain-ar with its configuration and log. */
  readonly activeResponse: {
    readonly script: string;
    readonly env: NodeJS.ProcessEnv;
    readonly timeoutSeconds: number;
  };
  /** The harness's stand-in for the active response's rescan step (scenario/contract.ts), if it is needed. */
  readonly rescan?: {
    readonly argv: readonly string[];
    readonly env: NodeJS.ProcessEnv;
    readonly targets: Readonly<Record<string, string>>;
  };
}

export interface ArRun {
  readonly alertId: string;
  readonly keys: readonly string[];
  readonly answer: "continue" | "abort" | undefined;
  readonly result: CommandResult;
}

export class ManagerDouble {
  /** alerts.json, in order. */
  readonly alerts: WazuhAlert[] = [];
  readonly integrationRuns: { readonly alertId: string; readonly result: CommandResult }[] = [];
  readonly arRuns: ArRun[] = [];
  readonly rescans: { readonly target: string; readonly result: CommandResult }[] = [];
  private readonly integratord = new SerialQueue();
  private readonly execd = new SerialQueue();
  /** execd's timeout list: rkey → when the entry expires (ms). */
  private readonly held = new Map<string, number>();
  private counter = 0;
  private readonly fired = new Map<string, number>();

  constructor(private readonly options: ManagerOptions) {}

  /** One line the agent's logcollector forwarded; resolves when integratord and execd are done with its alert. */
  async ingest(line: string, agent: Agent): Promise<WazuhAlert> {
    this.counter += 1;
    const probe = alertFromClamdLine(line, {
      agent,
      manager: this.options.name,
      time: new Date(),
      counter: this.counter,
      firedtimes: 0,
    });
    const firedtimes = (this.fired.get(probe.alert.rule.id) ?? 0) + 1;
    this.fired.set(probe.alert.rule.id, firedtimes);
    const alert = { ...probe.alert, rule: { ...probe.alert.rule, firedtimes } };
    this.alerts.push(alert);
    await Promise.all([
      this.integratord.push(() => this.integrate(alert)),
      this.execd.push(() => this.respond("add", alert)),
    ]);
    return alert;
  }

  /** Until both daemons have nothing left to do. */
  async idle(): Promise<void> {
    await Promise.all([this.integratord.idle(), this.execd.idle()]);
  }

  private async integrate(alert: WazuhAlert): Promise<void> {
    const blocks = integrationsFor(alert, this.options.integrations);
    for (const [index, block] of blocks.entries()) {
      const file = join(this.options.dir, `${block.name}-${alert.id}-${index}.alert`);
      writeFileSync(file, `${JSON.stringify(alert)}\n`);
      const result = await runProcess("python3", [
        this.options.integration.script,
        file,
        "",
        block.hookUrl,
        "",
        this.options.integration.options,
        "10",
        "3",
      ]);
      this.integrationRuns.push({ alertId: alert.id, result });
    }
  }

  /** An active-response run as execd makes it; `add` answers check_keys from the timeout list. */
  async respond(command: "add" | "delete", alert: WazuhAlert): Promise<ArRun> {
    const { script, env, timeoutSeconds } = this.options.activeResponse;
    let keys: string[] = [];
    let answer: ArRun["answer"];
    const result = await runProcess(script, [], {
      env,
      input: execdMessage(command, alert, CONTAIN_COMMAND.executable),
      onLine: (line, write) => {
        keys = (JSON.parse(line) as { parameters: { keys: string[] } }).parameters.keys;
        const rkey = `${CONTAIN_COMMAND.executable}${keys.join("")}`;
        const now = Date.now();
        answer = (this.held.get(rkey) ?? 0) > now ? "abort" : "continue";
        // execd restarts the timeout of a held key, or adds it.
        this.held.set(rkey, now + timeoutSeconds * 1000);
        write(execdAnswer(answer));
      },
    });
    const run = { alertId: alert.id, keys, answer, result };
    this.arRuns.push(run);
    if (command === "add" && answer === "continue" && result.code === 0 && this.options.rescan)
      await this.rescanFor(keys[0]!);
    return run;
  }

  /** scenario/contract.ts: the active response's rescan step, until it has one (argv + the target's name). */
  private async rescanFor(address: string): Promise<void> {
    const rescan = this.options.rescan!;
    const ip = ipaddr.parse(address);
    const target = Object.entries(rescan.targets).find(([cidr]) => {
      const range = ipaddr.parseCIDR(cidr);
      return range[0].kind() === ip.kind() && ip.match(range);
    })?.[1];
    if (!target) return;
    const [binary, ...args] = rescan.argv;
    const result = await runProcess(binary!, [...args, target], { env: rescan.env });
    this.rescans.push({ target, result });
  }
}
