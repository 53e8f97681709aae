/**
 * A UI's ingress: one host, HTTPS only, through the cluster's ingress controller (k3s: Traefik), with
 * the certificate of `internalCertificate` for that host.
 */
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";

/**
 * Traefik's router annotation (traefik/traefik pkg/provider/kubernetes/ingress/annotations.go,
 * `router.entrypoints`): the router listens on `websecure` (443) only, none on plain HTTP.
 */
export const TRAEFIK_ENTRYPOINTS = "traefik.ingress.kubernetes.io/router.entrypoints";
export const HTTPS_ENTRYPOINT = "websecure";

export interface HttpsIngressArgs {
  /** The Ingress's name. */
  readonly name: string;
  readonly namespace: pulumi.Input<string>;
  /** The DNS name browsers use (in the certificate's dnsNames). */
  readonly host: string;
  /** The Service behind it, reached on its port named `http`. */
  readonly service: string;
  /** The Secret holding the host's certificate. */
  readonly tlsSecret: string;
  readonly ingressClassName: string;
}

export function httpsIngress(
  resourceName: string,
  args: HttpsIngressArgs,
  opts: pulumi.CustomResourceOptions,
): k8s.networking.v1.Ingress {
  return new k8s.networking.v1.Ingress(
    resourceName,
    {
      metadata: {
        name: args.name,
        namespace: args.namespace,
        annotations: { [TRAEFIK_ENTRYPOINTS]: HTTPS_ENTRYPOINT },
      },
      spec: {
        ingressClassName: args.ingressClassName,
        tls: [{ hosts: [args.host], secretName: args.tlsSecret }],
        rules: [
          {
            host: args.host,
            http: {
              paths: [
                {
                  path: "/",
                  pathType: "Prefix",
                  backend: { service: { name: args.service, port: { name: "http" } } },
                },
              ],
            },
          },
        ],
      },
    },
    opts,
  );
}
