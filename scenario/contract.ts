/**
 * The one place where the scenario stands in for a part another helper is building (issue 14).
 *
 * Hop 6, the rescan: the containment active response (components/response/containment/
 * fortress-contain-ar.py) is getting a rescan step, configured in contain.json as
 * `"rescan": {"argv": [prefix...], "targets": {"<cidr>": "<target name>"}}`: after a containment it
 * runs argv + the name of the target whose CIDR holds the host. Until that lands, the offline lab's
 * execd double runs the same argv (prefix + target name) itself after a successful containment.
 *
 * SWITCH when the active response has it: set AR_RUNS_RESCAN to true. The lab then writes the `rescan`
 * block into contain.json and no longer runs the rescan itself; the scenario's hop 6 (the Greenbone task
 * was asked to start) is unchanged, so the test proves the active response does it.
 */
export const AR_RUNS_RESCAN = true;

/** contain.json's rescan block as the active response will read it. */
export interface RescanConfig {
  readonly argv: readonly string[];
  readonly targets: Readonly<Record<string, string>>;
}
