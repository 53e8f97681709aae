/**
 * Maps the lab model onto the vuln layer (issue 13): Greenbone on its VM with one scan target per
 * network the lab scans (stacks/scanTargets.ts, never typed by hand), authenticated scans of every
 * Fortress VM but the scanner's own and GPU VMs (which may not start: the hypervisor keeps them out of
 * its barrier), and the reports shipped to the indexer by the VM's Vector as fortress-vector.
 */
import type * as pulumi from "@pulumi/pulumi";
import { Vuln } from "../../components/vuln/vuln";
import { SCANNER_ROLE, scanTargets } from "../scanTargets";
import { vmSshHost } from "./connections";
import type { LayerInputs } from "./types";
import { GREENBONE_IMAGE_NAMES, type GreenboneImageKey } from "../../vocabulary/greenbone";

type VulnInputs = LayerInputs<"siem" | "hypervisor" | "platform">;

/** The configured digest table, which the door has checked names every image. */
function completeDigests(
  digests: Partial<Record<GreenboneImageKey, string>> | undefined,
): Record<GreenboneImageKey, string> | undefined {
  if (digests === undefined) return undefined;
  const missing = GREENBONE_IMAGE_NAMES.filter((name) => digests[name] === undefined);
  if (missing.length > 0)
    throw new Error(`internal: vuln.imageDigests passed the door without ${missing.join(", ")}`);
  return digests as Record<GreenboneImageKey, string>;
}

export function buildVuln(inputs: VulnInputs, opts: pulumi.ComponentResourceOptions): Vuln {
  const { lab } = inputs;
  const scanner = lab.vms.find((vm) => vm.role.name === SCANNER_ROLE);
  if (!scanner)
    throw new Error(
      "the vuln layer runs Greenbone: enable greenbone in fortress:services, or disable layers.vuln",
    );
  const baseline = inputs.upstream.platform.baseline;
  if (!baseline)
    throw new Error("internal: the vuln layer is built without the platform's baseline (its CA)");
  const digests = completeDigests(lab.config.vuln?.imageDigests);
  const indexer = (lab.config.services as readonly string[]).includes("wazuh-indexer");
  return new Vuln(
    "vuln",
    {
      greenbone: {
        host: vmSshHost(inputs, scanner),
        ca: baseline.ca,
        ...(digests ? { imageDigests: digests } : {}),
        targets: scanTargets(lab).map(({ name, hosts }) => ({ name, hosts })),
        scanHosts: lab.vms
          .filter((vm) => vm.name !== scanner.name && !vm.role.gpu)
          .map((vm) => vmSshHost(inputs, vm)),
      },
      ...(indexer ? { indexer: inputs.upstream.siem.indexerAccess("vector", "vm") } : {}),
    },
    opts,
  );
}
