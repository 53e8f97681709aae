/**
 * What the worked example needs to reach, whichever lab it runs against. The offline lab
 * (scenario/offline/) and a deployed lab (scenario/live/) each build one of these; the hops
 * (scenario/hops.ts) are the same code for both.
 */
import type { HttpTarget } from "./http";

export interface CommandResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A Wazuh alert as the scenario sees it (from alerts.json offline, through TheHive live). */
export interface SeenWazuhAlert {
  readonly id: string;
  readonly ruleId: string;
  /** The alert's own timestamp (ms). */
  readonly time: number;
  readonly fullLog: string;
  readonly agentName?: string;
}

/**
 * The hops a lab does not have, each with why ("no TheHive in this lab"): reported as skipped, never
 * passed. Absent: the lab has every hop.
 */
export interface HopSkips {
  /** Hop 3 (no `<integration>` to TheHive on the manager). */
  readonly theHive?: string;
  /** Hops 4, 5, 6 and 7 (the manager runs no containment). */
  readonly containment?: string;
  /** Hop 6 (no Greenbone VM for the active response to rescan through). */
  readonly rescan?: string;
}

export interface ScenarioEndpoints {
  readonly mode: "offline" | "live";
  /** The plan's workstation VM: the only host a test file is ever dropped on. */
  readonly workstation: { readonly name: string; readonly address: string; readonly downloadDir: string };
  /** Writes the file on the workstation (a new file in the download directory, as a browser saves it). */
  dropFile(path: string, bytes: Buffer): Promise<void>;
  removeFile(path: string): Promise<void>;
  /** The agent's clamd-format detection log (components/endpoint AGENT_PATHS.detectionLog). */
  readDetectionLog(): Promise<string>;
  /** Wazuh alerts raised since `since` (ms). */
  wazuhAlerts(since: number): Promise<SeenWazuhAlert[]>;
  /** TheHive's API; absent exactly when `skipped.theHive` says why. */
  readonly theHive?: HttpTarget;
  readonly skipped?: HopSkips;
  /** The firewall's API with the containment key, and the quarantine alias. */
  readonly opnsense: { readonly target: HttpTarget; readonly alias: string };
  /** Greenbone's scan targets, name → CIDRs (the stack's greenboneScanTargets). */
  readonly scanTargets: Readonly<Record<string, readonly string[]>>;
  /** The status of the Fortress scan task of a target (gvmd's task status, e.g. `Requested`); absent exactly when `skipped.rescan` says why. */
  gvmTaskStatus?(target: string): Promise<string>;
  /** Addresses that must never be contained, each tried once (hop 5). */
  readonly allowListed: readonly { readonly address: string; readonly why: string }[];
  /** Asks for a containment the allow-list must refuse; exit code 2 is the refusal. */
  tryContain(address: string): Promise<CommandResult>;
  /** Releases a host the way an analyst does (fortress-contain delete). */
  release(address: string): Promise<CommandResult>;
  /**
   * Extra proof after the host is in the table (offline: its states were killed, and a second alert
   * about it added nothing twice). Returns lines to print; throws when the proof fails.
   */
  confirmContained?(address: string): Promise<string[]>;
}
