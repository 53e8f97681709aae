import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as proxmoxve from "@muhlba91/pulumi-proxmoxve";
import { evaluatePolicies } from "../lib/offline";
import { planResource } from "../lib/build";
import { GUEST_TYPES } from "../../vocabulary/proxmoxTypes";
import { pulumiTypeOf } from "../../vocabulary/sdkTypes";
import { proxmoxGuestTypes } from "./proxmox-guest-types";

/** Every class the installed SDK exports, with its token, walking its modules. */
function sdkClasses(module: object, depth = 0): string[] {
  return Object.values(module).flatMap((value: unknown) => {
    if (typeof value === "function") {
      const token = (value as { __pulumiType?: unknown }).__pulumiType;
      return typeof token === "string" && token.includes(":") ? [token] : [];
    }
    return typeof value === "object" && value !== null && depth < 4 ? sdkClasses(value, depth + 1) : [];
  });
}

describe("proxmox-guest-types", () => {
  it("models every guest class of the installed SDK: VM, VM legacy, VM2 legacy, both clones, container", () => {
    const guests = [...new Set(sdkClasses(proxmoxve))].filter((token) =>
      /:(Vm|Qemu|Container|Lxc)\w*$/.test(token),
    );
    assert.deepEqual([...GUEST_TYPES.keys()].sort(), guests.sort());
    assert.ok(GUEST_TYPES.has(pulumiTypeOf(proxmoxve.cloned.Vm)));
    assert.equal(GUEST_TYPES.size, 6);
  });

  it("reports a guest type it does not model, and nothing else", async () => {
    const pool = planResource(pulumiTypeOf(proxmoxve.PoolLegacy), "pool");
    const unknown = planResource("proxmoxve:index/lxc:Lxc", "ct");
    const violations = await evaluatePolicies([proxmoxGuestTypes], [pool, unknown]);
    assert.deepEqual(
      violations.map((violation) => violation.urn),
      [unknown.urn],
    );
    assert.match(violations[0]?.message ?? "", /does not model/);
  });
});
