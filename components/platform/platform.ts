/**
 * The platform layer: a Kubernetes cluster the layers above deploy to, and its provider. Either
 * Fortress's own k3s (bootstrapped over SSH on the hypervisor's VMs) or a cluster the user already
 * runs, reached with the kubeconfig from the stack's secrets (no k3s chain then).
 */
import * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { Baseline, type BaselineArgs } from "./baseline";
import { K3sCluster, type K3sClusterArgs } from "./k3s";
import { COMPONENT_TYPES } from "../../vocabulary/typeTokens";

export const PLATFORM_TYPE = COMPONENT_TYPES.platform;

export type PlatformArgs = (
  | { readonly mode: "k3s"; readonly k3s: K3sClusterArgs }
  | { readonly mode: "existing"; readonly kubeconfig: pulumi.Input<string> }
) & {
  /** The Kubernetes baseline (namespaces, policies, CA, storage), built with this cluster's provider. */
  readonly baseline?: BaselineArgs;
};

export class Platform extends pulumi.ComponentResource {
  readonly mode: PlatformArgs["mode"];
  /** Admin kubeconfig of the cluster (secret). */
  readonly kubeconfig: pulumi.Output<string>;
  /** The provider every Kubernetes resource of the layers above uses. */
  readonly provider: kubernetes.Provider;
  /** Present in mode k3s. */
  readonly k3s?: K3sCluster;
  /** Present when the args ask for it. */
  readonly baseline?: Baseline;

  constructor(name: string, args: PlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    super(PLATFORM_TYPE, name, { mode: args.mode }, opts);
    this.mode = args.mode;
    if (args.mode === "k3s") {
      this.k3s = new K3sCluster(`${name}-k3s`, args.k3s, { parent: this });
      this.kubeconfig = this.k3s.kubeconfig;
      this.provider = this.k3s.provider;
    } else {
      this.kubeconfig = pulumi.secret(args.kubeconfig);
      this.provider = new kubernetes.Provider(
        `${name}-kubernetes`,
        { kubeconfig: this.kubeconfig },
        { parent: this },
      );
    }

    // The Kubernetes baseline: namespaces with Pod Security labels, default-deny NetworkPolicies,
    // the internal CA and storage classes, on this cluster. In mode k3s its resources wait for the
    // servers through the provider (the kubeconfig is read after the last server has joined).
    if (args.baseline) {
      this.baseline = new Baseline(`${name}-baseline`, args.baseline, {
        parent: this,
        providers: { kubernetes: this.provider },
      });
    }

    this.registerOutputs({ kubeconfig: this.kubeconfig });
  }
}
