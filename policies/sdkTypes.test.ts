/**
 * The pack names the resource types it judges from the installed SDK classes (vocabulary/sdkTypes.ts):
 * each name it uses is the token of an SDK class, and no pack file writes a provider token out, so a
 * provider upgrade that renames a type changes the names with it or breaks here, instead of leaving a
 * policy that no longer matches anything and passes in silence.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, it } from "node:test";
import * as proxmoxve from "@muhlba91/pulumi-proxmoxve";
import * as k8s from "@pulumi/kubernetes";
import * as random from "@pulumi/random";
import {
  FILE_TYPE,
  K8S_NAMESPACE_TYPE,
  K8S_NETWORK_POLICY_TYPE,
  K8S_SERVICE_TYPE,
  podSpecsOf,
  VM_TYPE,
} from "./lib/resources";
import { DOWNLOAD_TYPES } from "./rules/pinned-versions";
import { ACL_TYPES, INLINE_ACL_TYPES, ROLE_TYPE, TOKEN_TYPES } from "./rules/proxmox-token-least-privilege";
import { BACKUP_JOB_TYPE, PVC_TYPE } from "./rules/state-protected-and-backed-up";
import { RANDOM_PACKAGE, SDK_TYPES } from "../vocabulary/sdkTypes";

/** What the class itself says, read without the module under test. */
const tokenOf = (resourceClass: unknown) => (resourceClass as { __pulumiType?: unknown }).__pulumiType;

const root = join(__dirname, "..");

/** A provider's resource token written out as a string or matched by a pattern. */
const PROVIDER_TOKEN = /(["'`]|\/\^?)(kubernetes|proxmoxve|random|tls|command):/;

function productionFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)))
    .filter((file) => !/\.(test|fixtures)\.ts$/.test(file) && !file.includes("node_modules"));
}

describe("the types the pack judges", () => {
  it("are each the token of an installed SDK class", () => {
    const named: [string, unknown][] = [
      [VM_TYPE, proxmoxve.VmLegacy],
      [FILE_TYPE, proxmoxve.FileLegacy],
      [K8S_NAMESPACE_TYPE, k8s.core.v1.Namespace],
      [K8S_SERVICE_TYPE, k8s.core.v1.Service],
      [K8S_NETWORK_POLICY_TYPE, k8s.networking.v1.NetworkPolicy],
      [PVC_TYPE, k8s.core.v1.PersistentVolumeClaim],
      [BACKUP_JOB_TYPE, proxmoxve.backup.Job],
      [ROLE_TYPE, proxmoxve.RoleLegacy],
      ...DOWNLOAD_TYPES.map((type, index): [string, unknown] => [
        type,
        [proxmoxve.download.File, proxmoxve.download.FileLegacy][index],
      ]),
      ...TOKEN_TYPES.map((type, index): [string, unknown] => [
        type,
        [proxmoxve.user.Token, proxmoxve.user.TokenLegacy][index],
      ]),
      ...ACL_TYPES.map((type, index): [string, unknown] => [
        type,
        [proxmoxve.Acl, proxmoxve.AclLegacy][index],
      ]),
      ...INLINE_ACL_TYPES.map((type, index): [string, unknown] => [
        type,
        [proxmoxve.UserLegacy, proxmoxve.GroupLegacy][index],
      ]),
      [SDK_TYPES.helmReleaseV3, k8s.helm.v3.Release],
      [SDK_TYPES.helmChartV3, k8s.helm.v3.Chart],
      [SDK_TYPES.helmChartV4, k8s.helm.v4.Chart],
      [`${RANDOM_PACKAGE}:index/randomPassword:RandomPassword`, random.RandomPassword],
    ];
    for (const [name, resourceClass] of named) {
      assert.equal(typeof name, "string");
      assert.equal(name, tokenOf(resourceClass), `${name} is not the SDK's token`);
    }
    for (const [key, name] of Object.entries(SDK_TYPES)) assert.match(name, /^[a-z-]+:[^:]*:[A-Z]\w*$/, key);
  });

  it("reach the pod specs of the SDK's workload classes, patches only when asked", () => {
    const spec = { containers: [{ name: "app" }] };
    const deployment = {
      type: String(tokenOf(k8s.apps.v1.Deployment)),
      props: { spec: { template: { spec } } },
    };
    const patch = { ...deployment, type: String(tokenOf(k8s.apps.v1.DaemonSetPatch)) };
    const cronJob = {
      type: String(tokenOf(k8s.batch.v1.CronJob)),
      props: { spec: { jobTemplate: { spec: { template: { spec } } } } },
    };
    assert.deepEqual(podSpecsOf(deployment), [{ path: "spec.template.spec", spec }]);
    assert.deepEqual(podSpecsOf(patch), []);
    assert.deepEqual(podSpecsOf(patch, { patches: true }), [{ path: "spec.template.spec", spec }]);
    assert.equal(podSpecsOf(cronJob)[0]?.path, "spec.jobTemplate.spec.template.spec");
  });

  it("are never written out in the pack", () => {
    const offenders = ["policies"].flatMap(productionFiles).flatMap((file) =>
      readFileSync(join(root, file), "utf8")
        .split("\n")
        .flatMap((line, index) =>
          PROVIDER_TOKEN.test(line) && !/^\s*(\/\/|\/?\*)/.test(line)
            ? [`${file}:${index + 1}: ${line.trim()}`]
            : [],
        ),
    );
    assert.deepEqual(offenders, []);
  });
});
