/**
 * The baseline's storage classes: k3s's local-path provisioner behind a class that keeps the volume
 * when its claim goes, and, when an NFS export is given, a ReadWriteMany class from the NFS
 * subdir provisioner in its own fenced namespace.
 */
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { type ChartPin, pinnedChart } from "../kubernetes/helmRelease";
import { requestsAndLimits as resources } from "../kubernetes/resources";
import { apiServerEgress, type FencedNamespace } from "./namespaces";

export const STORAGE_NAMESPACE = "fortress-storage";
export const DEFAULT_STORAGE_CLASS = "fortress-local";
export const RWX_STORAGE_CLASS = "fortress-rwx";

/** The NFS provisioner's release name (its objects' names and labels). */
export const NFS_PROVISIONER_RELEASE = "nfs-provisioner";
export const NFS_PROVISIONER_CHART: ChartPin = {
  chart: "nfs-subdir-external-provisioner",
  version: "4.0.18",
  repo: "https://kubernetes-sigs.github.io/nfs-subdir-external-provisioner/",
};

export interface NfsExport {
  readonly nfsServer: string;
  readonly nfsPath: string;
}

/**
 * Fortress's claims name the local class; it is not marked default, since the cluster has its default
 * already (k3s's own `local-path`, manifests/local-storage.yaml, which k3s re-applies at every start,
 * so a patch would not stay: pkg/deploy/controller.go) and two defaults make claims ambiguous.
 */
export function localStorageClass(name: string, parent: pulumi.Resource): k8s.storage.v1.StorageClass {
  return new k8s.storage.v1.StorageClass(
    `${name}-sc-local`,
    {
      // `local` volumes (not the provisioner's default hostPath) so that the kubelet applies the pods'
      // fsGroup to them, as to k3s's own class (rancher/local-path-provisioner provisioner.go; k3s
      // manifests/local-storage.yaml): without it the data directories stay world-writable.
      metadata: { name: DEFAULT_STORAGE_CLASS, annotations: { defaultVolumeType: "local" } },
      provisioner: "rancher.io/local-path",
      volumeBindingMode: "WaitForFirstConsumer",
      reclaimPolicy: "Retain",
      allowVolumeExpansion: false,
    },
    { parent },
  );
}

/** The NFS provisioner in `fenced` (the storage namespace), which makes the RWX class. */
export function nfsProvisioner(
  name: string,
  rwx: NfsExport,
  fenced: FencedNamespace,
  parent: pulumi.Resource,
): k8s.helm.v4.Chart {
  apiServerEgress(name, fenced, parent);
  return pinnedChart(
    `${name}-nfs-provisioner`,
    {
      name: NFS_PROVISIONER_RELEASE,
      chart: NFS_PROVISIONER_CHART,
      namespace: fenced.name,
      values: {
        nfs: { server: rwx.nfsServer, path: rwx.nfsPath },
        storageClass: {
          create: true,
          name: RWX_STORAGE_CLASS,
          defaultClass: false,
          reclaimPolicy: "Retain",
          onDelete: "retain",
          archiveOnDelete: true,
          accessModes: "ReadWriteMany",
          allowVolumeExpansion: true,
        },
        resources: resources({ cpu: "10m", memory: "32Mi" }, { cpu: "100m", memory: "128Mi" }),
      },
    },
    { parent, dependsOn: fenced.guards },
  );
}
