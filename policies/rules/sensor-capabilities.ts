import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { CAPTURE_HOOKSCRIPT, CAPTURE_VLAN } from "../../vocabulary/capture";
import { SDK_TYPES } from "../../vocabulary/sdkTypes";
import { guestsOf } from "../lib/guests";

/** Guest tags that mark a traffic sensor (the zeek role's): the only guests a capture NIC may feed. */
export const CAPTURE_TAGS = ["zeek"] as const;

const HOOK_ID = new RegExp(`^[\\w.-]+:snippets/${CAPTURE_HOOKSCRIPT.replace(/\./g, "\\.")}$`);
const SET_HOOKSCRIPT = /--hookscript\s+(\S+)/g;

const text = (value: unknown) => (typeof value === "string" ? value : undefined);

/** An executable snippet is a hookscript Proxmox would run as root (pve-guest-common GuestHelpers.pm `check_hookscript`). */
function hookFileOf(resource: PolicyResource): { node: string | undefined; fileName: string } | undefined {
  if (resource.type !== SDK_TYPES.proxmoxFile) return undefined;
  const props = resource.props as {
    nodeName?: unknown;
    fileMode?: unknown;
    sourceRaw?: { fileName?: unknown };
  };
  const fileName = text(props.sourceRaw?.fileName) ?? resource.name;
  if (props.fileMode === undefined && fileName !== CAPTURE_HOOKSCRIPT) return undefined;
  return { node: text(props.nodeName), fileName };
}

export const sensorCapabilities: StackValidationPolicy = {
  name: "sensor-capabilities",
  description: `Capture privileges only where capture needs them: a NIC on the capture VLAN (${CAPTURE_VLAN}, which receives the node's mirrored traffic) only on a sensor guest (captureTags); the only hookscript (a guest's hookScriptFileId, a \`qm set --hookscript\` command, an executable snippet) is Fortress's capture hook, and only on a node that runs a sensor. Kubernetes capabilities (NET_RAW, NET_ADMIN outside fortress-sensors) are k8s-no-privileged's.`,
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      captureTags: {
        type: "array",
        items: { type: "string" },
        default: [...CAPTURE_TAGS],
        description: "Guest tags of the traffic sensors that may have a capture NIC.",
      },
    },
  },
  validateStack: (args, reportViolation) => {
    const config = args.getConfig<{ captureTags?: unknown }>();
    const captureTags: readonly string[] = Array.isArray(config.captureTags)
      ? config.captureTags.map(String)
      : CAPTURE_TAGS;
    const guests = guestsOf(args.resources);
    const sensors = guests.filter((guest) => guest.tags.some((tag) => captureTags.includes(tag)));
    const sensorNodes = new Set(sensors.map((guest) => guest.nodeName));
    const remedy =
      "the capture hook (components/hypervisor/capture.ts) goes only to the nodes of the Zeek sensor";

    for (const guest of guests) {
      const sensor = sensors.includes(guest);
      for (const nic of guest.nics ?? []) {
        if (nic.vlanId === CAPTURE_VLAN && !sensor)
          reportViolation(
            `${guest.kind} ${guest.name} ${nic.slot} is on the capture VLAN ${CAPTURE_VLAN}, which carries the node's mirrored traffic: only a sensor (tagged ${captureTags.join(", ")}) may have a capture NIC`,
            guest.resource.urn,
          );
      }
      const hook = text((guest.resource.props as { hookScriptFileId?: unknown }).hookScriptFileId);
      if (hook === undefined) continue;
      if (!HOOK_ID.test(hook))
        reportViolation(
          `${guest.kind} ${guest.name} runs hookscript ${hook} as root on its node: only ${CAPTURE_HOOKSCRIPT} may be a hookscript`,
          guest.resource.urn,
        );
      else if (!sensorNodes.has(guest.nodeName))
        reportViolation(
          `${guest.kind} ${guest.name} carries the capture hook on ${guest.nodeName ?? "?"}, where no sensor runs: ${remedy}`,
          guest.resource.urn,
        );
    }

    for (const resource of args.resources) {
      const file = hookFileOf(resource);
      if (file && file.fileName !== CAPTURE_HOOKSCRIPT)
        reportViolation(
          `snippet ${file.fileName} on ${file.node ?? "?"} is executable, so a guest could run it as root: only ${CAPTURE_HOOKSCRIPT} may be`,
          resource.urn,
        );
      else if (file && !sensorNodes.has(file.node))
        reportViolation(
          `the capture hook is uploaded to ${file.node ?? "?"}, where no sensor runs: ${remedy}`,
          resource.urn,
        );
      if (resource.type !== SDK_TYPES.commandRemote) continue;
      const create = text((resource.props as { create?: unknown }).create) ?? "";
      for (const [, id] of create.matchAll(SET_HOOKSCRIPT))
        if (!HOOK_ID.test(id ?? ""))
          reportViolation(
            `command ${resource.name} sets hookscript ${id ?? "?"}: only ${CAPTURE_HOOKSCRIPT} may be a hookscript`,
            resource.urn,
          );
    }
  },
};
