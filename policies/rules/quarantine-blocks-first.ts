/**
 * Containment holds only if nothing Fortress writes can pass a contained host before the quarantine
 * blocks are reached. With the quarantine recorded on a Network component (the `quarantine` service,
 * components/network/quarantine.ts), on every VLAN interface of its networks, in OPNsense's order
 * (policies/lib/opnsenseOrder.ts), the first rules are: the anti-lockout (management network → the
 * firewall's own addresses; its source is never contained: the action's allow-list holds it), the one
 * pass from the contained hosts to the Wazuh manager's address on the agent link, on a scanner's own
 * interface the pass from that scanner's one recorded address to the quarantine alias (the rescan after
 * a containment: it lets the scanner reach a contained host and opens nothing from it), and two logged,
 * quick, inbound blocks of every protocol, IPv4 and IPv6: from the quarantine alias to anything, and
 * from anything to it. Any other pass evaluated before (or tied with) either block is a violation (a block
 * or reject ahead of them only drops more), and
 * so is a quarantine alias that is not of type external (alias_util would write its hosts into config,
 * and the next update would release them: opnsense/core@26.7.2 Firewall/Api/AliasUtilController.php).
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { QUARANTINE_FLOW_SERVICES } from "../../vocabulary/zones";
import { SERVICES, isServiceName } from "../../vocabulary/services";
import { before, evaluationOrder, portAliasesOf, portRanges } from "../lib/opnsenseOrder";
import { aliasType, isRescanPass, type QuarantineRecord, quarantinesOf } from "../lib/quarantine";
import { type NetworkRecord, networksOf, type OpnsenseRule, opnsenseRules } from "../lib/resources";

const isAny = (value: string | undefined) => ["", "any"].includes((value ?? "any").trim());

/** What keeps a rule from being the quarantine block it should be, or an empty list. */
export function blockGaps(rule: OpnsenseRule, from: string, to: string): string[] {
  const { fields } = rule;
  const gaps: string[] = [];
  if (!["block", "reject"].includes(fields.action ?? "")) gaps.push(`action is ${fields.action ?? "unset"}`);
  if (fields.quick === "0") gaps.push("it is not quick");
  if (!["in", "any"].includes(fields.direction ?? "in")) gaps.push(`direction is ${fields.direction}`);
  const matches = (value: string | undefined, wanted: string) =>
    wanted === "any" ? isAny(value) : (value ?? "").trim() === wanted;
  if (!matches(fields.source_net, from) || fields.source_not === "1") gaps.push(`source is not ${from}`);
  if (!matches(fields.destination_net, to) || fields.destination_not === "1")
    gaps.push(`destination is not ${to}`);
  if (!isAny(fields.protocol)) gaps.push(`protocol is ${fields.protocol}`);
  if (!isAny(fields.source_port) || !isAny(fields.destination_port)) gaps.push("it names ports");
  if (fields.ipprotocol !== "inet46") gaps.push(`it covers ${fields.ipprotocol ?? "inet"} only, not inet46`);
  if (String(fields.log ?? "0") !== "1") gaps.push("it is not logged");
  return gaps;
}

/** The management network's anti-lockout shape: a pass on its interface from it to the firewall's own addresses. */
const isAntiLockout = (rule: OpnsenseRule, network: NetworkRecord) =>
  network.purpose === "management" &&
  rule.fields.action === "pass" &&
  rule.interfaces.length === 1 &&
  rule.interfaces[0] === network.interface &&
  (rule.fields.destination_net ?? "").trim() === "(self)" &&
  rule.fields.destination_not !== "1" &&
  rule.fields.source_not !== "1" &&
  [`fz_net_${network.name}`, network.cidr].includes((rule.fields.source_net ?? "").trim());

/** The pass of contained hosts to the manager on the agent link's TCP ports, and nothing else. */
function isReportPass(
  rule: OpnsenseRule,
  record: QuarantineRecord,
  portAliases: ReadonlyMap<string, string>,
) {
  const { fields } = rule;
  if (!record.reportsTo || fields.action !== "pass") return false;
  const allowed = new Set<number>(
    QUARANTINE_FLOW_SERVICES.filter(isServiceName).flatMap((name) => [...SERVICES[name].tcp]),
  );
  const ports = portRanges(fields.destination_port, portAliases);
  return (
    (fields.source_net ?? "").trim() === record.alias &&
    fields.source_not !== "1" &&
    [record.reportsTo.address, `${record.reportsTo.address}/32`].includes(
      (fields.destination_net ?? "").trim(),
    ) &&
    fields.destination_not !== "1" &&
    (fields.protocol ?? "").toUpperCase() === "TCP" &&
    ports.length > 0 &&
    ports.every(([low, high]) => low === high && allowed.has(low))
  );
}

const label = (rule: OpnsenseRule) => `"${rule.fields.description ?? rule.resource.name}"`;

export const quarantineBlocksFirst: StackValidationPolicy = {
  name: "quarantine-blocks-first",
  description:
    "With the quarantine service on, every VLAN interface first blocks the contained hosts (logged, quick, inet46, from the external quarantine alias to anything and from anything to it), after only the anti-lockout, the contained hosts' pass to the Wazuh manager on 1514 and, on a scanner's interface, its pass to the contained hosts for the rescan; the alias is of type external.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const records = quarantinesOf(args.resources);
    if (records.length === 0) args.notApplicable("no Network component records a quarantine");
    const rules = opnsenseRules(args.resources).filter(
      (rule) => rule.enabled && ["in", "any"].includes(rule.fields.direction ?? "in"),
    );
    const portAliases = portAliasesOf(args.resources);
    const interfaces = new Map(
      networksOf(args.resources).map((network) => [network.name, network.interface]),
    );
    const interfaceOf = (name: string) => interfaces.get(name);
    for (const record of records) {
      const type = aliasType(args.resources, record.alias);
      if (type !== "external") {
        reportViolation(
          `the quarantine alias ${record.alias} is ${type === undefined ? "not declared" : `of type ${type}`}: declare it of type external, whose hosts alias_util writes into the pf table only (a host or network alias also gets them in config.xml, so the next update would release every contained host)`,
          record.owner.urn,
        );
      }
      for (const network of networksOf([record.owner])) {
        const own = rules
          .filter((rule) => rule.appliesTo(network.interface))
          .sort((a, b) => (before(evaluationOrder(a), evaluationOrder(b)) ? -1 : 1));
        const where = `network ${network.name} (interface ${network.interface})`;
        const blocks = [
          [record.alias, "any"],
          ["any", record.alias],
        ].map(([from, to]) => ({
          from: from as string,
          to: to as string,
          rule: own.find((rule) => blockGaps(rule, from as string, to as string).length === 0),
        }));
        const missing = blocks.filter((block) => block.rule === undefined);
        for (const block of missing) {
          const closest = own
            .filter((rule) => ["block", "reject"].includes(rule.fields.action ?? ""))
            .filter((rule) => [rule.fields.source_net, rule.fields.destination_net].includes(record.alias))
            .map((rule) => `${label(rule)}: ${blockGaps(rule, block.from, block.to).join(", ")}`);
          reportViolation(
            `${where} has no quarantine block from ${block.from} to ${block.to}${closest.length > 0 ? ` (closest: ${closest.join("; ")})` : ""}: add a logged quick block on ${network.interface}, protocol any, inet46, from ${block.from} to ${block.to}, right after the anti-lockout`,
            record.owner.urn,
          );
        }
        if (missing.length > 0) continue;
        const found = blocks.map((block) => block.rule as OpnsenseRule);
        const last = found.reduce((a, b) => (before(evaluationOrder(a), evaluationOrder(b)) ? b : a));
        for (const rule of own) {
          // A block or reject ahead of them only drops more: it cannot let a contained host through.
          if (["block", "reject"].includes(rule.fields.action ?? "")) continue;
          if (
            found.includes(rule) ||
            isAntiLockout(rule, network) ||
            isReportPass(rule, record, portAliases) ||
            isRescanPass(rule, record, interfaceOf)
          )
            continue;
          if (before(evaluationOrder(last), evaluationOrder(rule))) continue;
          reportViolation(
            `filter rule ${label(rule)} on ${where} is evaluated before (or ties with) the quarantine block ${label(last)}, so it can let a contained host (${record.alias}) through: only the anti-lockout, the contained hosts' pass to the Wazuh manager on 1514 and, on its own interface, a recorded scanner's pass to the quarantine alias may come first; give it a sequence above ${last.sequence ?? "the blocks'"}`,
            rule.resource.urn,
          );
        }
      }
    }
  },
};
