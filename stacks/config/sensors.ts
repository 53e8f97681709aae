/**
 * The checks of `fortress:sensors` that span its fields: what only IPS mode means, and drop files the
 * IDS does not load. Pure.
 */
import { ET_OPEN_DEFAULT_RULESETS } from "../../vocabulary/suricata";
import type { ConfigIssue } from "./errors";
import type { SensorsSettings } from "./schema";

const issue = (path: string, message: string, hint: string): ConfigIssue => ({ path, message, hint });

export function checkSensors(sensors: SensorsSettings, services?: readonly string[]): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (services?.includes("zeek") && sensors.zeek.uplink === undefined)
    issues.push(
      issue(
        "sensors.zeek.uplink",
        "is missing: the zeek service mirrors traffic on the Zeek VM's Proxmox node and needs the node's NIC under the bridge",
        "on that node, `ls /sys/class/net/vmbr0/brif` lists the bridge's ports: set the physical one (e.g. eno1)",
      ),
    );
  const { ids, zeek } = sensors;
  const loaded = ids.rulesets ?? ET_OPEN_DEFAULT_RULESETS;
  (ids.rulesets ?? []).forEach((file, index) => {
    if (ids.rulesets?.indexOf(file) !== index)
      issues.push(issue(`sensors.ids.rulesets[${index}]`, `lists ${file} twice`, "list each rule file once"));
  });
  if (ids.mode !== "ips") {
    if (ids.drop !== undefined)
      issues.push(
        issue(
          "sensors.ids.drop",
          "turns alerts into drops, which only IPS mode does",
          "set sensors.ids.mode to ips (read the README's 'Turning on IPS' first), or remove drop",
        ),
      );
    if (ids.ipsEngine !== undefined)
      issues.push(
        issue(
          "sensors.ids.ipsEngine",
          "chooses the inline engine, and mode is ids",
          "remove ipsEngine, or set mode: ips",
        ),
      );
  }
  (ids.drop ?? []).forEach((file, index) => {
    if (!(loaded as readonly string[]).includes(file))
      issues.push(
        issue(
          `sensors.ids.drop[${index}]`,
          `${file} is not among the rule files Suricata loads`,
          `add ${file} to sensors.ids.rulesets${ids.rulesets ? "" : " (without it the defaults load: " + ET_OPEN_DEFAULT_RULESETS.join(", ") + ")"}`,
        ),
      );
  });
  if (zeek.spanNic !== undefined && zeek.spanNic === zeek.uplink)
    issues.push(
      issue(
        "sensors.zeek.spanNic",
        `is the node's uplink (${zeek.uplink}) as well`,
        "name the second NIC wired to the switch's mirror port; the uplink carries the node's own traffic",
      ),
    );
  return issues;
}
