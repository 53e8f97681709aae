/**
 * The lab's one ClamAV (issue 12, "ClamAV is central"): clamd and freshclam in one pod of the general
 * pool, Fortress's own signatures mounted into the database directory, and clamd reachable from the
 * agents' networks on 3310 only.
 *
 * - One StatefulSet, one replica, a volume for the signatures (they survive restarts, so freshclam
 *   fetches diffs, not 200 MB each time). Both containers run the pinned image's binaries directly as
 *   its clamav user, root file system read-only (pins.ts).
 * - fortress.hsb comes from a ConfigMap, mounted as one file into the database directory: clamd starts
 *   and detects with it before freshclam has downloaded anything, and with no internet at all.
 * - Reaching it from VMs: a LoadBalancer Service, which k3s's ServiceLB serves from a DaemonSet with a
 *   hostPort 3310 on every eligible node (k3s-io/k3s pkg/cloudprovider/servicelb.go `newDaemonSet`),
 *   with `loadBalancerSourceRanges` = the agents' networks (ServiceLB passes them as SRC_RANGES and
 *   the klipper-lb pod accepts only those sources: k3s-io/klipper-lb `entry`, `start_proxy`), and
 *   `allocateLoadBalancerNodePorts: false` (no NodePort on every node besides). klipper-lb MASQUERADEs
 *   what it forwards, so inside the cluster the connection comes from the ServiceLB pod, not the agent:
 *   the NetworkPolicy admits the ServiceLB pods of this Service (kube-system, labels
 *   svccontroller.k3s.cattle.io/svcname and /svcnamespace). Traffic addressed to the node's own
 *   address is taken by kube-proxy before the hostPort (k3s-io/docs networking-services.md "How
 *   ServiceLB Works"), with the same source ranges, and reaches a clamd pod on that node still from the
 *   agent's address: the policy admits the agents' networks too (the route of components/siem/
 *   indexerRoute.ts, path 2). From another node kube-proxy SNATs first; that path is not verified on a
 *   cluster (see the README's known limits). On a cluster Fortress did not build (`loadBalancer`), the
 *   Service asks that cluster's load balancer for the reserved address with `externalTrafficPolicy:
 *   Local`, and the policy admits the agents' networks alone (components/kubernetes/loadBalancerAddress.ts).
 * - freshclam may leave the pod for the mirror only: the public CDN on 443 (not to private ranges), or
 *   the configured private mirror's port.
 */
import { createHash } from "node:crypto";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { COMPONENT_TYPES } from "../../../vocabulary/typeTokens";
import { loadBalancerAddressAnnotations } from "../../kubernetes/loadBalancerAddress";
import { restrictedContainerSecurity, restrictedPodSecurity } from "../../kubernetes/securityContext";
import { DATABASE_DIRECTORY, renderClamdConf, renderFreshclamConf } from "./config";
import { HASH_DATABASE_FILE, type Indicator, INDICATORS, renderHashDatabase } from "./indicators";
import { CLAMAV_IMAGE, CLAMAV_RESOURCES, CLAMAV_UID, CLAMD_PORT, DATABASE_VOLUME_SIZE } from "./pins";

export const CLAMAV_TYPE = COMPONENT_TYPES.clamav;

/** The Service agents reach; ServiceLB names its pods after it. */
export const CLAMD_SERVICE = "clamd";
/** k3s ServiceLB's pod labels (servicelb.go `svcNameLabel`, `svcNamespaceLabel`) and namespace (`DefaultLBNS`). */
export const SERVICELB = {
  namespace: "kube-system",
  nameLabel: "svccontroller.k3s.cattle.io/svcname",
  namespaceLabel: "svccontroller.k3s.cattle.io/svcnamespace",
} as const;

const CONFIG_DIR = "/etc/fortress/clamav";
const TEMPORARY_DIRECTORY = "/tmp";
/** The image's health check: `PING` to 3310 must answer `PONG` (clamav-docker scripts/clamdcheck.sh). */
const CLAMD_CHECK = ["/usr/local/bin/clamdcheck.sh"];
/** Private address space, never the public CDN (RFC 1918). */
const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];

export interface ClamavArgs {
  /** The endpoint layer's namespace (the baseline's, default-deny). */
  readonly namespace: pulumi.Input<string>;
  readonly storageClass: string;
  /** The networks of the zones whose VMs run agents: the only sources ServiceLB forwards. */
  readonly agentNetworks: readonly string[];
  /** fortress:clamav.mirror; none: database.clamav.net. */
  readonly mirror?: string;
  /** Fortress's indicators; the committed list by default. */
  readonly indicators?: readonly Indicator[];
  /**
   * The address agents reach clamd at: a node where ServiceLB listens with hostPort 3310. ServiceLB's
   * DaemonSet tolerates the control-plane taints (k3s-io/k3s pkg/cloudprovider/servicelb.go
   * `newDaemonSet`: MasterRoleLabelKey, ControlPlaneRoleLabelKey, CriticalAddonsOnly), so a k3s server
   * always has one; the layer passes the first server's planned address. With `loadBalancer`, the
   * address an existing cluster's load balancer hands the Service instead.
   */
  readonly serviceAddress: string;
  /**
   * A cluster Fortress did not build: the Service asks its load balancer for serviceAddress, with
   * `externalTrafficPolicy: Local`, and the policy admits the agents' networks alone, which the pod
   * sees unchanged (components/kubernetes/loadBalancerAddress.ts); no ServiceLB pods.
   */
  readonly loadBalancer?: boolean;
}

/** The port freshclam connects to: the mirror URL's, else its scheme's; the CDN is https. */
export function mirrorPort(mirror: string | undefined): number {
  if (mirror === undefined) return 443;
  const url = new URL(mirror.includes("://") ? mirror : `http://${mirror}`);
  if (url.port !== "") return Number(url.port);
  return url.protocol === "https:" ? 443 : 80;
}

export class Clamav extends pulumi.ComponentResource {
  readonly labels: Readonly<Record<string, string>>;
  readonly service: k8s.core.v1.Service;
  readonly statefulSet: k8s.apps.v1.StatefulSet;
  /** The port agents connect to. */
  readonly port: number = CLAMD_PORT;
  /** Where agents connect (args.serviceAddress), known once the Service exists: enrollments wait for it. */
  readonly address: pulumi.Output<string>;
  /** fortress.hsb as shipped, for agents or tests that want the same database. */
  readonly hashDatabase: string;

  constructor(name: string, args: ClamavArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super(CLAMAV_TYPE, name, {}, opts);
    if (args.agentNetworks.length === 0) {
      throw new Error(
        "Clamav: no agent networks: clamd would be reachable from nowhere, or (empty source ranges) from everywhere",
      );
    }
    const child = { parent: this };
    const ns = args.namespace;
    const labels = { "app.kubernetes.io/name": "clamav", "app.kubernetes.io/component": "clamd" };
    this.labels = labels;

    const clamdConf = renderClamdConf({
      databaseDirectory: DATABASE_DIRECTORY,
      temporaryDirectory: TEMPORARY_DIRECTORY,
      port: CLAMD_PORT,
    });
    const freshclamConf = renderFreshclamConf({
      databaseDirectory: DATABASE_DIRECTORY,
      ...(args.mirror === undefined ? {} : { mirror: args.mirror }),
    });
    this.hashDatabase = renderHashDatabase(args.indicators ?? INDICATORS);
    const checksum = createHash("sha256")
      .update(clamdConf)
      .update(freshclamConf)
      .update(this.hashDatabase)
      .digest("hex");

    const config = new k8s.core.v1.ConfigMap(
      `${name}-config`,
      {
        metadata: { name: "clamav-config", namespace: ns, labels },
        data: { "clamd.conf": clamdConf, "freshclam.conf": freshclamConf },
      },
      child,
    );
    const signatures = new k8s.core.v1.ConfigMap(
      `${name}-signatures`,
      {
        metadata: { name: "clamav-fortress-signatures", namespace: ns, labels },
        data: { [HASH_DATABASE_FILE]: this.hashDatabase },
      },
      child,
    );

    this.statefulSet = new k8s.apps.v1.StatefulSet(
      `${name}-clamav`,
      statefulSetSpec(ns, labels, args.storageClass, checksum),
      { ...child, dependsOn: [config, signatures] },
    );

    this.service = new k8s.core.v1.Service(
      `${name}-clamd-service`,
      {
        metadata: {
          name: CLAMD_SERVICE,
          namespace: ns,
          labels,
          ...(args.loadBalancer ? { annotations: loadBalancerAddressAnnotations(args.serviceAddress) } : {}),
        },
        spec: {
          type: "LoadBalancer",
          allocateLoadBalancerNodePorts: false,
          externalTrafficPolicy: args.loadBalancer ? "Local" : "Cluster",
          loadBalancerSourceRanges: [...args.agentNetworks],
          selector: labels,
          ports: [{ name: "clamd", port: CLAMD_PORT, targetPort: "clamd", protocol: "TCP" }],
        },
      },
      child,
    );

    new k8s.networking.v1.NetworkPolicy(
      `${name}-clamd-from-servicelb`,
      {
        metadata: { name: "clamd-from-agents", namespace: ns },
        spec: {
          podSelector: { matchLabels: labels },
          policyTypes: ["Ingress"],
          ingress: [
            {
              from: [
                ...args.agentNetworks.map((cidr) => ({ ipBlock: { cidr } })),
                ...(args.loadBalancer ? [] : [serviceLbPeer(ns)]),
              ],
              ports: [{ protocol: "TCP", port: CLAMD_PORT }],
            },
          ],
        },
      },
      child,
    );

    new k8s.networking.v1.NetworkPolicy(
      `${name}-freshclam-to-mirror`,
      {
        metadata: { name: "freshclam-to-mirror", namespace: ns },
        spec: {
          podSelector: { matchLabels: labels },
          policyTypes: ["Egress"],
          egress: [
            {
              to: [
                {
                  // A private mirror is named, not addressed: any address, on its port only.
                  ipBlock:
                    args.mirror === undefined
                      ? { cidr: "0.0.0.0/0", except: PRIVATE_RANGES }
                      : { cidr: "0.0.0.0/0" },
                },
              ],
              ports: [{ protocol: "TCP", port: mirrorPort(args.mirror) }],
            },
          ],
        },
      },
      child,
    );

    this.address = this.service.id.apply(() => args.serviceAddress);
    this.registerOutputs({ service: this.service.metadata.name, port: this.port, address: this.address });
  }
}

/** This Service's ServiceLB pods (k3s), which masquerade what they forward. */
function serviceLbPeer(ns: pulumi.Input<string>) {
  return {
    namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": SERVICELB.namespace } },
    podSelector: {
      matchLabels: pulumi.output(ns).apply((namespace) => ({
        [SERVICELB.nameLabel]: CLAMD_SERVICE,
        [SERVICELB.namespaceLabel]: namespace,
      })),
    },
  };
}

function statefulSetSpec(
  ns: pulumi.Input<string>,
  labels: Record<string, string>,
  storageClass: string,
  checksum: string,
): k8s.apps.v1.StatefulSetArgs {
  const mounts = (configFile: string) => [
    { name: "database", mountPath: DATABASE_DIRECTORY },
    {
      name: "signatures",
      mountPath: `${DATABASE_DIRECTORY}/${HASH_DATABASE_FILE}`,
      subPath: HASH_DATABASE_FILE,
      readOnly: true,
    },
    { name: "config", mountPath: `${CONFIG_DIR}/${configFile}`, subPath: configFile, readOnly: true },
    { name: "tmp", mountPath: TEMPORARY_DIRECTORY },
  ];
  const security = { ...restrictedContainerSecurity(CLAMAV_UID), readOnlyRootFilesystem: true };
  return {
    metadata: { name: "clamav", namespace: ns, labels },
    spec: {
      serviceName: CLAMD_SERVICE,
      replicas: 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels, annotations: { "fortress.io/config-sha256": checksum } },
        spec: {
          automountServiceAccountToken: false,
          securityContext: restrictedPodSecurity(CLAMAV_UID),
          // A clamd stopping mid-reload loses nothing; 30 s lets it close its sockets.
          terminationGracePeriodSeconds: 30,
          containers: [
            {
              name: "clamd",
              image: CLAMAV_IMAGE,
              imagePullPolicy: "IfNotPresent",
              // Not the image's /init (root, starts both as root and drops): the binary itself.
              command: ["clamd", `--config-file=${CONFIG_DIR}/clamd.conf`],
              ports: [{ name: "clamd", containerPort: CLAMD_PORT, protocol: "TCP" }],
              // The full signature set takes minutes to load on a small node.
              startupProbe: {
                exec: { command: CLAMD_CHECK },
                periodSeconds: 10,
                timeoutSeconds: 5,
                failureThreshold: 60,
              },
              readinessProbe: { exec: { command: CLAMD_CHECK }, periodSeconds: 30, timeoutSeconds: 5 },
              // A reload without a second engine blocks clamd for a while: give it three minutes.
              livenessProbe: {
                exec: { command: CLAMD_CHECK },
                periodSeconds: 30,
                timeoutSeconds: 10,
                failureThreshold: 6,
              },
              resources: CLAMAV_RESOURCES.clamd,
              securityContext: security,
              volumeMounts: mounts("clamd.conf"),
            },
            {
              name: "freshclam",
              image: CLAMAV_IMAGE,
              imagePullPolicy: "IfNotPresent",
              command: [
                "freshclam",
                "--daemon",
                "--foreground",
                "--stdout",
                `--config-file=${CONFIG_DIR}/freshclam.conf`,
              ],
              resources: CLAMAV_RESOURCES.freshclam,
              securityContext: security,
              volumeMounts: mounts("freshclam.conf"),
            },
          ],
          volumes: [
            { name: "config", configMap: { name: "clamav-config" } },
            { name: "signatures", configMap: { name: "clamav-fortress-signatures" } },
            { name: "tmp", emptyDir: { sizeLimit: "512Mi" } },
          ],
        },
      },
      volumeClaimTemplates: [
        {
          metadata: { name: "database" },
          spec: {
            accessModes: ["ReadWriteOnce"],
            storageClassName: storageClass,
            resources: { requests: { storage: DATABASE_VOLUME_SIZE } },
          },
        },
      ],
    },
  };
}
