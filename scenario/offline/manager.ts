/**
 * The Wazuh manager of the offline lab: analysisd (scenario/wazuh.ts: the line decoded and matched as
 * Wazuh 4.14 does), alerts.json, integratord and execd, each running the real Fortress programs.
 *
 * integratord (wazuh/wazuh@v4.14.6 src/os_integrator/integrator.c): for every alert and every
 * `<integration>` block whose filters pass, it writes the alert as one JSON line to a temporary file
 * and runs `<script> <alert file> <api_key> <hook_url> <debug> <options file> <timeout> <retries>`,
 * waiting for it (wpclose) before the next: one program at a time.
 * execd (wazuh/wazuh@v4.14.6 src/os_execd/execd.c ExecdRun), for Fortress's containment response as
 * ossecConf.ts configures it (`location` server, `timeout_allowed` no, no `<timeout>`, so timeout_value
 * is 0): one run per matching alert. It writes the message src/analysisd/ar_json.c built, with
 * `command` set to add, origin.module to wazuh-execd and parameters.program added (lines 276-281),
 * then reads one line back (fgets, 297): when the script closes its stdout without a line, execd
 * stops there (298-303); when a line comes, it is the keys, but with timeout_value 0 execd skips the
 * timeout list altogether (345: "We don't need to add to the list if the timeout_value == 0"), so
 * added_before stays 0 and the answer is always `continue` (446-448), never `abort`. No list means no
 * `delete` either (the timeout loop, 150-197, has nothing to run). It waits for the script (wpclose,
 * 461) and so runs one program at a time (its loop, 534-553, calls ExecdRun per message). The two
 * daemons run side by side, so an alert's integration and active response overlap.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
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
  /** fortress-contain-ar with its configuration and log; absent: the lab's ossec.conf has no containment response. */
  readonly activeResponse?: {
    readonly script: string;
    readonly env: NodeJS.ProcessEnv;
  };
}

export interface ArRun {
  readonly alertId: string;
  /** The line execd read back after its message (fgets, execd.c 297), if the script wrote one. */
  readonly keysLine: string | undefined;
  /** execd's second message: `continue` after a keys line (timeout 0: never `abort`), else none. */
  readonly answer: "continue" | undefined;
  readonly result: CommandResult;
}

export class ManagerDouble {
  /** alerts.json, in order. */
  readonly alerts: WazuhAlert[] = [];
  readonly integrationRuns: { readonly alertId: string; readonly result: CommandResult }[] = [];
  readonly arRuns: ArRun[] = [];
  private readonly integratord = new SerialQueue();
  private readonly execd = new SerialQueue();
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
      ...(this.options.activeResponse ? [this.execd.push(() => this.respond(alert))] : []),
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

  /** An active-response run as execd makes it for a response with timeout 0 (see the header). */
  async respond(alert: WazuhAlert): Promise<ArRun> {
    if (!this.options.activeResponse)
      throw new Error("internal: this lab's manager has no containment response");
    const { script, env } = this.options.activeResponse;
    let keysLine: string | undefined;
    let answer: ArRun["answer"];
    const message = execdMessage("add", alert, CONTAIN_COMMAND.executable);
    const result = await runProcess(script, [], {
      env,
      input: message,
      onLine: (line, write) => {
        // execd reads one line only (fgets, 297) and answers it once; later lines go unread.
        if (keysLine !== undefined) return;
        keysLine = line;
        answer = "continue";
        write(execdAnswer(message, answer));
      },
    });
    const run = { alertId: alert.id, keysLine, answer, result };
    this.arRuns.push(run);
    return run;
  }
}
