/** Reading OPNsense items as policies see them: model fields, filter rules, the networks the Network component records. */
import type { PolicyResource } from "@pulumi/policy";
import { NETWORK_TYPE, OPNSENSE } from "./typeNames";

/** An OPNsense item's model fields (string values), or undefined for other resources. */
export function opnsenseFields(props: Record<string, unknown>): Record<string, string> | undefined {
  const fields = props.fields;
  return typeof fields === "object" && fields !== null ? (fields as Record<string, string>) : undefined;
}

/** A network as the Network component records it in its inputs. */
export interface NetworkRecord {
  readonly name: string;
  readonly vlan: number;
  readonly cidr: string;
  readonly gateway: string;
  readonly purpose: string;
  /** The OPNsense interface (`lan`, `opt1`, …) the network's rules sit on. */
  readonly interface: string;
}

/** Every network recorded by the stack's Network components. */
export function networksOf(resources: readonly PolicyResource[]): NetworkRecord[] {
  return resources
    .filter((resource) => resource.type === NETWORK_TYPE)
    .flatMap((resource) => {
      const networks = resource.props.networks;
      return Array.isArray(networks)
        ? networks.filter(
            (network): network is NetworkRecord =>
              typeof network === "object" && network !== null && typeof network.name === "string",
          )
        : [];
    });
}

/** An OPNsense filter rule with its fields and the interfaces it sits on (floating rules name several). */
export interface OpnsenseRule {
  readonly resource: PolicyResource;
  readonly fields: Record<string, string>;
  readonly interfaces: readonly string[];
  /**
   * `interfacenot`: the rule sits on every interface but those listed (opnsense/core
   * models/OPNsense/Firewall/Filter.xml; FieldTypes/FilterRuleField.php makes it floating).
   */
  readonly inverted: boolean;
  /** Whether the rule applies to traffic on an interface: no interface is every one (a floating rule). */
  readonly appliesTo: (iface: string) => boolean;
  readonly enabled: boolean;
  /** Its place in the rule order (lowest is evaluated first), or undefined when not a number. */
  readonly sequence: number | undefined;
}

export function opnsenseRules(resources: readonly PolicyResource[]): OpnsenseRule[] {
  return resources.flatMap((resource) => {
    if (resource.type !== OPNSENSE("rule")) return [];
    const fields = opnsenseFields(resource.props);
    if (!fields) return [];
    const sequence = /^\d+$/.test(String(fields.sequence ?? "").trim()) ? Number(fields.sequence) : undefined;
    const interfaces = String(fields.interface ?? "")
      .split(",")
      .map((name) => name.trim())
      .filter((name) => name !== "");
    const inverted = String(fields.interfacenot ?? "0") === "1";
    const listed = new Set(interfaces);
    return [
      {
        resource,
        fields,
        interfaces,
        inverted,
        appliesTo: (iface: string) =>
          inverted ? !listed.has(iface) : listed.size === 0 || listed.has(iface),
        enabled: String(fields.enabled ?? "1") !== "0",
        sequence,
      },
    ];
  });
}
