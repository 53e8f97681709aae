/**
 * Which `<integration>` blocks of an ossec.conf take an alert, as wazuh-integratord decides it
 * (wazuh/wazuh@v4.14.6 src/os_integrator/integrator.c, the loop "Sending to the configured
 * integrations"; src/config/integrator-config.c for how each element is read):
 * - `<level>`: skipped when the alert's `rule.level` is below it;
 * - `<group>`: a comma-separated list; taken when one of them equals one of the alert's `rule.groups`
 *   exactly (strcmp);
 * - `<rule_id>`: numbers separated by commas (spaces allowed); taken when `atoi(rule.id)` equals one;
 * - the filters a block sets apply together (each `continue`s to the next block on a mismatch), and
 *   every block that takes the alert runs its script once.
 * Written from that source for tests of what Fortress renders, not from Fortress's own tables.
 */

export interface IntegrationBlock {
  readonly name: string;
  readonly level?: number;
  readonly groups?: readonly string[];
  readonly ruleIds?: readonly number[];
}

export interface WazuhAlertRule {
  readonly id: string;
  readonly level: number;
  readonly groups: readonly string[];
}

const text = (block: string, element: string): string | undefined =>
  new RegExp(`<${element}>([^<]*)</${element}>`).exec(block)?.[1];

/** The `<integration>` blocks of a rendered ossec.conf. */
export function integrationBlocks(ossecConf: string): IntegrationBlock[] {
  return [...ossecConf.matchAll(/<integration>([\s\S]*?)<\/integration>/g)].map((match) => {
    const block = match[1]!;
    const level = text(block, "level");
    const group = text(block, "group");
    const ruleId = text(block, "rule_id");
    return {
      name: text(block, "name") ?? "",
      ...(level !== undefined ? { level: Number.parseInt(level, 10) } : {}),
      ...(group !== undefined ? { groups: group.split(",").filter((g) => g !== "") } : {}),
      ...(ruleId !== undefined
        ? {
            ruleIds: ruleId
              .split(",")
              .map((id) => id.trim())
              .filter((id) => /^\d/.test(id))
              .map((id) => Number.parseInt(id, 10)),
          }
        : {}),
    };
  });
}

/** The blocks that run their script for this alert (in order; a block appears once per run). */
export function blocksTaking(blocks: readonly IntegrationBlock[], rule: WazuhAlertRule): IntegrationBlock[] {
  return blocks.filter((block) => {
    if (block.level && rule.level < block.level) return false;
    if (block.groups && !block.groups.some((group) => rule.groups.includes(group))) return false;
    if (block.ruleIds && !block.ruleIds.includes(Number.parseInt(rule.id, 10))) return false;
    return true;
  });
}
