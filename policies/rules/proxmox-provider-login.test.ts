import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as proxmoxve from "@muhlba91/pulumi-proxmoxve";
import { evaluatePolicies } from "../lib/offline";
import { packageOf, pulumiTypeOf } from "../../vocabulary/sdkTypes";
import { PROXMOX_PROVIDER_TYPE } from "../../vocabulary/proxmoxTypes";
import { proxmoxProviderLogin } from "./proxmox-provider-login";
import { provider } from "./proxmox-provider-login.fixtures";

describe("proxmox-provider-login", () => {
  it("judges the provider resource the engine registers for the SDK", () => {
    assert.equal(PROXMOX_PROVIDER_TYPE, `pulumi:providers:${packageOf(pulumiTypeOf(proxmoxve.VmLegacy))}`);
  });

  it("reads root@pam in its spellings, with a password or a ticket, secret or not", async () => {
    for (const inputs of [
      { username: "root@pam", password: "[secret]" },
      { username: " ROOT@PAM ", password: "hunter2" },
      { username: "root@pam", authTicket: "PVE:root@pam:…" },
    ]) {
      const [violation] = await evaluatePolicies([proxmoxProviderLogin], [provider(inputs)]);
      assert.match(
        violation?.message ?? "",
        /logs in as root@pam with a (password|ticket)/,
        JSON.stringify(inputs),
      );
    }
    for (const inputs of [
      { username: "fortress@pve", password: "[secret]" },
      { username: "[secret]", password: "[secret]" },
      { apiToken: "fortress@pve!pulumi=1" },
    ]) {
      assert.deepEqual(
        await evaluatePolicies([proxmoxProviderLogin], [provider(inputs)]),
        [],
        JSON.stringify(inputs),
      );
    }
  });
  it("reads the ssh block as an object or as the JSON string the engine makes of it", async () => {
    for (const ssh of [
      { username: "root", password: "x" },
      JSON.stringify({ username: "root", password: "x" }),
    ]) {
      const [violation] = await evaluatePolicies([proxmoxProviderLogin], [provider({ ssh })]);
      assert.match(violation?.message ?? "", /over SSH with a password/);
    }
    assert.deepEqual(await evaluatePolicies([proxmoxProviderLogin], [provider({ ssh: "[secret]" })]), []);
  });
});
