/**
 * contain.json for the offline lab's manager, rendered by the function the manager's install uses
 * (components/response/containment/program.ts renderContainConfig) from the same inputs
 * (components/response/containment/onManager.ts containmentOnManager over stacks/layers/response.ts
 * containmentArgs): the lab's allow-list, networks, servers networks and hold (stacks/containment.ts
 * containmentPlan), the audit to the manager's active-responses.log, and, with a Greenbone VM, the
 * rescan (`rescanArgv(<the Greenbone VM>)` and the plan's CIDR → target map). What differs offline,
 * and only that: the firewall (the loopback OPNsense and its containment key), the files' places (the
 * lab's directory), the program's path (the checked-in fortress-contain), and the backoff (ms, not s).
 */
import type { ContainConfigInput } from "../../components/response/containment/program";
import { renderContainConfig } from "../../components/response/containment/program";
import type { ContainmentPlan } from "../../stacks/containment";

export interface OfflineContainInput {
  readonly plan: ContainmentPlan;
  /** The loopback OPNsense's API and the containment key its user holds. */
  readonly firewall: { readonly url: string; readonly key: string; readonly secret: string };
  /** The lab's stand-in for /var/ossec/logs/active-responses.log. */
  readonly logFile: string;
  readonly stateDir: string;
  /** The lab's stand-in for the node exporter's textfile directory. */
  readonly metricsDir: string;
  /** The checked-in fortress-contain (on the manager: CONTAIN_PATHS.program). */
  readonly program: string;
  /** contain.json's rescan.argv: rescanArgv(<the Greenbone VM>) with the lab's ssh stand-in; absent: no Greenbone. */
  readonly rescanArgv?: readonly string[];
}

export function offlineContainConfig(input: OfflineContainInput): string {
  const { plan } = input;
  const config: ContainConfigInput = {
    ...input.firewall,
    allow: plan.allow,
    internal: plan.internal,
    servers: plan.servers,
    releaseAfter: plan.releaseAfter,
    logFile: input.logFile,
    stateDir: input.stateDir,
    metricsDir: input.metricsDir,
    ...(input.rescanArgv ? { rescan: { argv: input.rescanArgv, targets: plan.rescanTargets } } : {}),
  };
  const rendered = JSON.parse(renderContainConfig(config)) as {
    active_response: Record<string, unknown>;
  } & Record<string, unknown>;
  return `${JSON.stringify(
    { ...rendered, backoff: 0.01, active_response: { ...rendered.active_response, program: input.program } },
    null,
    2,
  )}\n`;
}
