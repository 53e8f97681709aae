import type { StackValidationPolicy } from "@pulumi/policy";
import { addressRange, covers } from "../../vocabulary/addresses";
import { COMPONENT_TYPES } from "../../vocabulary/typeTokens";
import { networksOf } from "../lib/opnsense";

export const GREENBONE_TYPE = COMPONENT_TYPES.greenbone;

interface RecordedTarget {
  readonly name: string;
  readonly hosts: readonly string[];
}

const targetsOf = (value: unknown): RecordedTarget[] =>
  Array.isArray(value)
    ? value.filter(
        (target): target is RecordedTarget =>
          typeof target === "object" &&
          target !== null &&
          typeof target.name === "string" &&
          Array.isArray(target.hosts),
      )
    : [];

export const scanTargetsDeclared: StackValidationPolicy = {
  name: "scan-targets-declared",
  description:
    "Every Greenbone scan target's hosts (CIDRs or addresses) lie wholly inside the networks the lab declares (the Network component's record of config): Fortress never scans what it does not own.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const declared = networksOf(args.resources).flatMap((network) => addressRange(network.cidr) ?? []);
    const names = networksOf(args.resources)
      .map((network) => `${network.name} ${network.cidr}`)
      .join(", ");
    for (const greenbone of args.resources.filter((resource) => resource.type === GREENBONE_TYPE)) {
      for (const target of targetsOf(greenbone.props.targets)) {
        for (const host of target.hosts) {
          const range = typeof host === "string" ? addressRange(host) : undefined;
          if (!range) {
            reportViolation(
              `scan target ${target.name}: ${String(host)} is not an address or CIDR`,
              greenbone.urn,
            );
          } else if (!covers(declared, range)) {
            reportViolation(
              `scan target ${target.name}: ${host} is not inside a declared network (${names || "none declared"}); scan only the lab's networks`,
              greenbone.urn,
            );
          }
        }
      }
    }
  },
};
