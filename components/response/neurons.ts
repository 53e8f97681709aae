/**
 * Cortex's analyzers and responders, pinned: Cortex reads its catalogs from files Fortress mounts
 * (application.conf `analyzer.urls`/`responder.urls` may name a file: TheHive-Project/Cortex@4.1.0
 * app/org/thp/cortex/services/WorkerSrv.scala `scan` reads a path that is no URL with `readFile`, a
 * JSON list or one definition), not from StrangeBee's `latest` catalog, whose images float (the
 * published `analyzers.json` names `ghcr.io/thehive-project/<name>:<major>`).
 *
 * - The MISP analyzer: TheHive-Project/Cortex-Analyzers@3.8.9 analyzers/MISP/MISP.json (name MISP,
 *   version 2.1: the worker definition id is `MISP_2_1`, WorkerDefinition.id), with the image that
 *   tag's catalog build gives it (.github/workflows/publish-catalogs.yml `analyzers-stable.json`:
 *   `ghcr.io/thehive-project/` + lower-case name + `:` + version). The build rewrites that tag on
 *   schedule (build.yml "Force rebuild on scheduled runs"), so only a digest pins it; none could be
 *   read here (no registry reachable): `MISP_ANALYZER_DIGEST` stays empty until one is recorded.
 * - The containment responder (`FortressContain`): a command, not an image. Cortex 4.1.0's Kubernetes
 *   runner starts a neuron as `<image> /job` with the job's input and output directories and nothing
 *   else mounted (K8sJobRunnerSrv.run: no volume, secret or command of ours), so a responder in a Job
 *   needs an image built around its program, which Fortress cannot build. A definition with `command`
 *   and no `dockerImage` falls to the process runner (JobRunnerSrv.run tries the runners in
 *   `job.runners`, reference.conf `[kubernetes, docker, process]`, and the Kubernetes one skips a
 *   worker without an image), which runs `<command> <job folder>` inside Cortex's pod: the program is
 *   fortress-contain itself (components/response/containment/fortress-contain.py) behind a small
 *   adapter (neurons/fortress-contain-responder.py), its root-only configuration from a Secret, run by
 *   a launcher with the Python that pythonRuntime.ts gives Cortex's pod (its image has none).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { containProgram } from "./containment/program";
import { responderLauncher } from "./pythonRuntime";

/** Where the catalogs, the responder's program and its configuration are mounted in Cortex's pod. */
export const NEURON_PATHS = {
  /** WorkerSrv.readFile resolves a `command` against the catalog's grandparent and keeps it inside. */
  base: "/opt/fortress/neurons",
  catalogDir: "/opt/fortress/neurons/catalog",
  analyzers: "/opt/fortress/neurons/catalog/analyzers.json",
  responders: "/opt/fortress/neurons/catalog/responders.json",
  responderDir: "/opt/fortress/neurons/FortressContain",
  containDir: "/etc/fortress/contain",
  containConfig: "/etc/fortress/contain/contain.json",
  /** The lab CA for the firewall's API certificate (the configuration's `ca_file`). */
  containCa: "/etc/fortress/contain/opnsense-ca.pem",
  /**
   * The responder's containment records (the configuration's `state_dir`): on Cortex's job directory,
   * the claim Cortex writes as its own user (the chart mounts it at `cortex.jobDirectory`, default
   * /tmp/cortex-jobs: cortex-charts/cortex/values.yaml, templates/deployment.yaml), where the default
   * /var/lib/fortress-contain is not writable and not kept.
   */
  containState: "/tmp/cortex-jobs/fortress-contain",
} as const;

export interface WorkerDefinitionJson {
  readonly name: string;
  readonly version: string;
  readonly description: string;
  readonly dataTypeList: readonly string[];
  readonly author: string;
  readonly url: string;
  readonly license: string;
  readonly baseConfig: string;
  readonly dockerImage?: string;
  readonly command?: string;
  readonly configurationItems: readonly {
    readonly name: string;
    readonly description: string;
    readonly type: "string" | "text" | "number" | "boolean";
    readonly multi: boolean;
    readonly required: boolean;
    readonly defaultValue?: unknown;
  }[];
  readonly config: Readonly<Record<string, unknown>>;
}

/** Cortex's id of a definition (WorkerDefinition.id: name_version with dots as underscores). */
export const workerDefinitionId = (definition: { name: string; version: string }): string =>
  `${definition.name}_${definition.version}`.replace(/\./g, "_");

const MISP_IMAGE = "ghcr.io/thehive-project/misp:2.1";
/** The digest of MISP_IMAGE once read from the registry (`sha256:…`); empty: the tag alone. */
export const MISP_ANALYZER_DIGEST = "";

/** Cortex-Analyzers@3.8.9 analyzers/MISP/MISP.json, `command` replaced by the image (catalog build). */
export const MISP_ANALYZER: WorkerDefinitionJson = {
  name: "MISP",
  version: "2.1",
  author: "Nils Kuhnert, CERT-Bund",
  license: "AGPL-V3",
  url: "https://github.com/BSI-CERT-Bund/cortex-analyzers",
  description: "Query multiple MISP instances for events containing an observable.",
  dataTypeList: [
    "domain",
    "ip",
    "url",
    "fqdn",
    "uri_path",
    "user-agent",
    "hash",
    "mail",
    "mail_subject",
    "registry",
    "regexp",
    "other",
    "filename",
    "mail-subject",
  ],
  baseConfig: "MISP",
  dockerImage: MISP_ANALYZER_DIGEST ? `${MISP_IMAGE}@${MISP_ANALYZER_DIGEST}` : MISP_IMAGE,
  configurationItems: [
    { name: "name", description: "Name of MISP servers", multi: true, required: false, type: "string" },
    { name: "url", description: "URL of MISP servers", type: "string", multi: true, required: true },
    { name: "key", description: "API key for each server", type: "string", multi: true, required: true },
    {
      name: "cert_check",
      description: "Verify server certificate",
      type: "boolean",
      multi: false,
      required: true,
      defaultValue: true,
    },
    {
      name: "cert_path",
      description: "Path to the CA on the system used to check server certificate",
      type: "string",
      multi: true,
      required: false,
    },
  ],
  config: { check_tlp: true, max_tlp: 2, auto_extract: false },
};

export const RESPONDER_PROGRAM = "fortress-contain-responder.py";
/** The command Cortex runs: a launcher that runs the adapter with the Python Cortex's pod is given. */
export const RESPONDER_LAUNCHER = "fortress-contain-responder";

/** Fortress's containment responder: an analyst's click on an IP observable contains its host. */
export const CONTAIN_RESPONDER: WorkerDefinitionJson = {
  name: "FortressContain",
  version: "1.0",
  author: "Fortress",
  license: "AGPL-V3",
  url: "https://github.com/fortress-lab/fortress",
  description:
    "Contain the host of an IP observable: fz_quarantine on OPNsense and its states killed (fortress-contain)",
  dataTypeList: ["thehive:case_artifact"],
  baseConfig: "FortressContain",
  command: `FortressContain/${RESPONDER_LAUNCHER}`,
  configurationItems: [],
  config: {},
};

/** The catalogs as Cortex reads them (a JSON list each). */
export function neuronCatalogs(withResponder: boolean): { analyzers: string; responders: string } {
  return {
    analyzers: `${JSON.stringify([MISP_ANALYZER], null, 2)}\n`,
    responders: `${JSON.stringify(withResponder ? [CONTAIN_RESPONDER] : [], null, 2)}\n`,
  };
}

/** The responder's two files: the adapter and fortress-contain, read as they are (never copied). */
export function responderFiles(): Record<string, string> {
  return {
    [RESPONDER_LAUNCHER]: responderLauncher(RESPONDER_PROGRAM),
    [RESPONDER_PROGRAM]: readFileSync(join(__dirname, "neurons", RESPONDER_PROGRAM), "utf8"),
    "fortress-contain.py": containProgram(),
  };
}

export interface MispConnection {
  /** MISP's base URL (Misp.baseUrl), https. */
  readonly url: string;
  /** The integration user's API key (Misp.integrationKey). */
  readonly key: string;
  /** The CA that signed MISP's certificate (the lab CA). */
  readonly caCertificatePem: string;
}

/**
 * The MISP analyzer's configuration in the organisation: one server, the certificate checked against
 * the lab CA, given as Cortex's own `cacerts` (BaseConfig.global), which JobRunnerSrv writes to the
 * job's input/cacerts and the Kubernetes runner hands the neuron as REQUESTS_CA_BUNDLE.
 */
export function mispAnalyzerConfiguration(misp: MispConnection): Record<string, unknown> {
  if (!/^https:\/\/[^\s/]+(:\d+)?\/?$/.test(misp.url))
    throw new Error(`MISP's URL ${misp.url} is not an https origin`);
  if (!misp.caCertificatePem.includes("-----BEGIN CERTIFICATE-----"))
    throw new Error("the CA of MISP's certificate is not a PEM certificate");
  return {
    name: ["fortress-misp"],
    url: [misp.url.replace(/\/$/, "")],
    key: [misp.key],
    cert_check: true,
    cacerts: misp.caCertificatePem,
    check_tlp: true,
    max_tlp: 2,
  };
}
