/**
 * The provider type tokens Fortress reads (the pack judges resources by them, the planner lists
 * them), taken from the installed SDK classes instead of written out: a provider upgrade that renames
 * or drops a class breaks the type check or this module's load, where a copied string would let a
 * policy stop matching and pass in silence.
 *
 * Every class Pulumi generates for a resource carries its token as the static `__pulumiType` (the
 * codegen marks it `@internal`, so it is missing from the .d.ts files and read here untyped):
 * pulumi/pulumi pkg/codegen/nodejs/gen.go, e.g. `static readonly __pulumiType =
 * 'kubernetes:apps/v1:Deployment'` in @pulumi/kubernetes apps/v1/deployment.js.
 */
import * as proxmoxve from "@muhlba91/pulumi-proxmoxve";
import * as command from "@pulumi/command";
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import * as tls from "@pulumi/tls";

/** A resource class of a Pulumi SDK, whatever its constructor takes. */
export type ResourceClass = abstract new (...args: never[]) => pulumi.Resource;

/** `<package>:<module>:<Type>`, the shape of every resource token. */
const TOKEN = /^[a-z][a-z0-9-]*:[A-Za-z0-9./-]*:[A-Z][A-Za-z0-9]*$/;

/** The type token `resourceClass` registers its resources under; throws when the class has none. */
export function pulumiTypeOf(resourceClass: ResourceClass): string {
  const token: unknown = (resourceClass as unknown as { __pulumiType?: unknown }).__pulumiType;
  if (typeof token !== "string" || !TOKEN.test(token)) {
    throw new Error(
      `${resourceClass.name} has no __pulumiType token (found ${JSON.stringify(token)}): the SDK changed how it ` +
        "names resource types; read the new token from it here",
    );
  }
  return token;
}

/** The package part of a token: `kubernetes` of `kubernetes:apps/v1:Deployment`. */
export const packageOf = (token: string) => token.slice(0, token.indexOf(":"));

/** The resource types Fortress reads by name, each from its SDK class. */
export const SDK_TYPES = {
  proxmoxVm: pulumiTypeOf(proxmoxve.VmLegacy),
  proxmoxFile: pulumiTypeOf(proxmoxve.FileLegacy),
  proxmoxDownload: pulumiTypeOf(proxmoxve.download.File),
  proxmoxDownloadLegacy: pulumiTypeOf(proxmoxve.download.FileLegacy),
  proxmoxToken: pulumiTypeOf(proxmoxve.user.Token),
  proxmoxTokenLegacy: pulumiTypeOf(proxmoxve.user.TokenLegacy),
  proxmoxAcl: pulumiTypeOf(proxmoxve.Acl),
  proxmoxAclLegacy: pulumiTypeOf(proxmoxve.AclLegacy),
  proxmoxUserLegacy: pulumiTypeOf(proxmoxve.UserLegacy),
  proxmoxGroupLegacy: pulumiTypeOf(proxmoxve.GroupLegacy),
  proxmoxRoleLegacy: pulumiTypeOf(proxmoxve.RoleLegacy),
  proxmoxBackupJob: pulumiTypeOf(proxmoxve.backup.Job),
  proxmoxVnet: pulumiTypeOf(proxmoxve.sdn.Vnet),
  k8sNamespace: pulumiTypeOf(k8s.core.v1.Namespace),
  k8sService: pulumiTypeOf(k8s.core.v1.Service),
  k8sPersistentVolumeClaim: pulumiTypeOf(k8s.core.v1.PersistentVolumeClaim),
  k8sNetworkPolicy: pulumiTypeOf(k8s.networking.v1.NetworkPolicy),
  k8sIngress: pulumiTypeOf(k8s.networking.v1.Ingress),
  k8sIngressV1beta1: pulumiTypeOf(k8s.networking.v1beta1.Ingress),
  k8sSecret: pulumiTypeOf(k8s.core.v1.Secret),
  k8sConfigMap: pulumiTypeOf(k8s.core.v1.ConfigMap),
  commandRemote: pulumiTypeOf(command.remote.Command),
  commandLocal: pulumiTypeOf(command.local.Command),
  helmReleaseV3: pulumiTypeOf(k8s.helm.v3.Release),
  helmChartV3: pulumiTypeOf(k8s.helm.v3.Chart),
  helmChartV4: pulumiTypeOf(k8s.helm.v4.Chart),
  k8sConfigGroupV2: pulumiTypeOf(k8s.yaml.v2.ConfigGroup),
  randomPassword: pulumiTypeOf(random.RandomPassword),
  randomBytes: pulumiTypeOf(random.RandomBytes),
  tlsPrivateKey: pulumiTypeOf(tls.PrivateKey),
  tlsSelfSignedCert: pulumiTypeOf(tls.SelfSignedCert),
  tlsCertRequest: pulumiTypeOf(tls.CertRequest),
  tlsLocallySignedCert: pulumiTypeOf(tls.LocallySignedCert),
} as const;

/** The package of every Kubernetes resource (`kubernetes`), and of every random value (`random`). */
export const K8S_PACKAGE = packageOf(SDK_TYPES.k8sNamespace);
export const RANDOM_PACKAGE = packageOf(SDK_TYPES.randomPassword);

/** The API groups whose kinds carry pod specs, as the SDK's modules. */
const WORKLOAD_GROUPS: readonly object[] = [k8s.core, k8s.apps, k8s.batch, k8s.extensions];

/** A workload resource type: its kind, and whether it is the server-side `…Patch` of that kind. */
export interface WorkloadType {
  readonly kind: string;
  readonly patch: boolean;
}

/**
 * The token of every SDK class of the given kinds, and of their `…Patch` classes, in every API version
 * the SDK has of the core, apps, batch and extensions groups.
 */
export function k8sWorkloadTypes(kinds: readonly string[]): ReadonlyMap<string, WorkloadType> {
  const types = new Map<string, WorkloadType>();
  for (const group of WORKLOAD_GROUPS) {
    for (const version of Object.values(group) as Record<string, unknown>[]) {
      if (typeof version !== "object" || version === null) continue;
      for (const kind of kinds) {
        for (const [name, patch] of [
          [kind, false],
          [`${kind}Patch`, true],
        ] as const) {
          const resourceClass = version[name];
          if (typeof resourceClass === "function") {
            types.set(pulumiTypeOf(resourceClass as ResourceClass), { kind, patch });
          }
        }
      }
    }
  }
  return types;
}
