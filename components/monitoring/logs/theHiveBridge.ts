/**
 * Alertmanager → TheHive: a tiny pod (thehive-bridge.py, Python's standard library in Python's own
 * image) that Alertmanager's webhook receiver posts to, and that opens a TheHive alert per firing
 * alert with the same TheHive service account as the Wazuh bridge (its key read back from the
 * accounts Job's Secret, components/response/wazuhKey.ts) and TheHive's CA.
 *
 * Why a pod and not a Vector pipeline in the aggregator: the bridge has to tell a duplicate (TheHive's
 * 400 "already exist", which is success for a resend) from a refusal, and answer Alertmanager 5xx only
 * for what a retry can fix; Vector's `http` sink retries or drops by status alone, and its VRL cannot
 * be run on this machine, whereas this script runs for real in the tests against the TheHive double.
 *
 * Alertmanager authenticates with a bearer token (webhook `http_config.authorization.credentials_file`,
 * which amtool 0.25 accepts, research §0.7): `bridgeToken` is that file's content, for
 * AlertmanagerConfig.secretFiles.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { COMPONENT_TYPES } from "../../../vocabulary/typeTokens";
import type { WazuhBridge } from "../../response/thehive";
import { readWazuhKey } from "../../response/wazuhKey";
import { peerOf, type PodPeer, tcp } from "./peers";
import { BRIDGE_UID, LOGS_PINS, LOGS_RESOURCES } from "./pins";

export const THEHIVE_BRIDGE_TYPE = COMPONENT_TYPES.theHiveAlertBridge;
export const BRIDGE_NAME = "thehive-bridge";
export const BRIDGE_PORT = 8080;
export const BRIDGE_PATH = "/alertmanager";
export const BRIDGE_LABELS = { "app.kubernetes.io/name": BRIDGE_NAME } as const;
const SCRIPT = "thehive-bridge.py";
const DIRS = {
  script: "/opt/fortress",
  secrets: "/etc/fortress/bridge",
  ca: "/etc/fortress/thehive-ca",
} as const;

/** The script as the pod runs it. */
export function theHiveBridgeScript(): string {
  return readFileSync(join(__dirname, SCRIPT), "utf8");
}

export interface TheHiveAlertBridgeArgs {
  /** fortress-monitoring. */
  readonly namespace: string;
  /** TheHive's URL as the pod reaches it (TheHive.url, through the ingress). */
  readonly theHiveUrl: string;
  /** The response layer's Wazuh bridge: the key's Secret, the CA, the Job that fills the key. */
  readonly wazuhBridge: WazuhBridge;
  /** Where TheHive's URL leads in the cluster (the ingress controller's pods and port). */
  readonly theHiveEgress: PodPeer & { readonly port: number };
  /** Alertmanager's pods, the only ones that may post. */
  readonly alertmanager: PodPeer;
}

export class TheHiveAlertBridge extends pulumi.ComponentResource {
  /** In-cluster URL for Alertmanager's webhook receiver. */
  readonly theHiveBridgeUrl: string;
  /** The bearer token Alertmanager sends (secret): AlertmanagerConfig.secretFiles. */
  readonly bridgeToken: pulumi.Output<string>;
  readonly deployment: k8s.apps.v1.Deployment;

  constructor(name: string, args: TheHiveAlertBridgeArgs, opts?: pulumi.ComponentResourceOptions) {
    super(THEHIVE_BRIDGE_TYPE, name, { namespace: args.namespace }, opts);
    const child = { parent: this };
    const ns = args.namespace;
    this.bridgeToken = pulumi.secret(
      new random.RandomPassword(`${name}-token`, { length: 48, special: false }, child).result,
    );
    const key = readWazuhKey(`${name}-thehive-key`, args.wazuhBridge, child);
    const secret = new k8s.core.v1.Secret(
      `${name}-secrets`,
      {
        metadata: { name: `${BRIDGE_NAME}-secrets`, namespace: ns },
        type: "Opaque",
        stringData: { token: this.bridgeToken, "thehive.key": key },
      },
      { ...child, additionalSecretOutputs: ["stringData", "data"] },
    );
    // The program in a Secret, beside its credentials, as the response layer keeps its neuron programs:
    // the pack reads every line of a ConfigMap for credentials, and a script names its token file.
    const program = new k8s.core.v1.Secret(
      `${name}-program`,
      {
        metadata: { name: `${BRIDGE_NAME}-program`, namespace: ns },
        type: "Opaque",
        stringData: { [SCRIPT]: theHiveBridgeScript() },
      },
      child,
    );
    const files = new k8s.core.v1.ConfigMap(
      `${name}-files`,
      {
        metadata: { name: `${BRIDGE_NAME}-files`, namespace: ns },
        data: { "ca.pem": args.wazuhBridge.caCertificatePem },
      },
      child,
    );
    const policy = new k8s.networking.v1.NetworkPolicy(
      `${name}-policy`,
      {
        metadata: { name: BRIDGE_NAME, namespace: ns },
        spec: {
          podSelector: { matchLabels: { ...BRIDGE_LABELS } },
          policyTypes: ["Ingress", "Egress"],
          ingress: [{ from: [peerOf(args.alertmanager)], ports: tcp(BRIDGE_PORT) }],
          egress: [{ to: [peerOf(args.theHiveEgress)], ports: tcp(args.theHiveEgress.port) }],
        },
      },
      child,
    );
    this.deployment = new k8s.apps.v1.Deployment(
      `${name}-deployment`,
      {
        metadata: { name: BRIDGE_NAME, namespace: ns, labels: { ...BRIDGE_LABELS } },
        spec: {
          replicas: 1,
          selector: { matchLabels: { ...BRIDGE_LABELS } },
          template: {
            metadata: { labels: { ...BRIDGE_LABELS } },
            spec: bridgePodSpec(args.theHiveUrl),
          },
        },
      },
      { ...child, dependsOn: [secret, program, files, policy] },
    );
    const service = new k8s.core.v1.Service(
      `${name}-service`,
      {
        metadata: { name: BRIDGE_NAME, namespace: ns, labels: { ...BRIDGE_LABELS } },
        spec: {
          selector: { ...BRIDGE_LABELS },
          ports: [{ name: "http", port: BRIDGE_PORT, targetPort: BRIDGE_PORT, protocol: "TCP" }],
        },
      },
      child,
    );
    this.theHiveBridgeUrl = `http://${BRIDGE_NAME}.${ns}.svc:${BRIDGE_PORT}${BRIDGE_PATH}`;
    this.registerOutputs({ theHiveBridgeUrl: this.theHiveBridgeUrl, service: service.metadata.name });
  }
}

/** The pod: non-root, read-only, no token, limits; the script, the secrets and the CA as files. */
export function bridgePodSpec(theHiveUrl: string): k8s.types.input.core.v1.PodSpec {
  return {
    automountServiceAccountToken: false,
    securityContext: {
      runAsNonRoot: true,
      runAsUser: BRIDGE_UID,
      runAsGroup: BRIDGE_UID,
      // Secret files are root-owned: the group reads them (defaultMode 0440).
      fsGroup: BRIDGE_UID,
      seccompProfile: { type: "RuntimeDefault" },
    },
    containers: [
      {
        name: "bridge",
        image: LOGS_PINS.bridgeImage,
        command: ["python3", "-u", `${DIRS.script}/${SCRIPT}`],
        env: [
          { name: "BRIDGE_LISTEN", value: `0.0.0.0:${BRIDGE_PORT}` },
          { name: "BRIDGE_TOKEN_FILE", value: `${DIRS.secrets}/token` },
          { name: "THEHIVE_URL", value: theHiveUrl },
          { name: "THEHIVE_KEY_FILE", value: `${DIRS.secrets}/thehive.key` },
          { name: "THEHIVE_CA_FILE", value: `${DIRS.ca}/ca.pem` },
        ],
        ports: [{ name: "http", containerPort: BRIDGE_PORT, protocol: "TCP" }],
        readinessProbe: { httpGet: { path: "/healthz", port: BRIDGE_PORT } },
        livenessProbe: { httpGet: { path: "/healthz", port: BRIDGE_PORT }, periodSeconds: 30 },
        resources: { ...LOGS_RESOURCES.bridge },
        securityContext: {
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          capabilities: { drop: ["ALL"] },
        },
        volumeMounts: [
          { name: "script", mountPath: DIRS.script, readOnly: true },
          { name: "secrets", mountPath: DIRS.secrets, readOnly: true },
          { name: "ca", mountPath: DIRS.ca, readOnly: true },
        ],
      },
    ],
    volumes: [
      { name: "script", secret: { secretName: `${BRIDGE_NAME}-program`, defaultMode: 0o440 } },
      { name: "secrets", secret: { secretName: `${BRIDGE_NAME}-secrets`, defaultMode: 0o440 } },
      { name: "ca", configMap: { name: `${BRIDGE_NAME}-files`, items: [{ key: "ca.pem", path: "ca.pem" }] } },
    ],
  };
}
