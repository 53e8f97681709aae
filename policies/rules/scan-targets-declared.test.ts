import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { evaluatePolicies } from "../lib/offline";
import { scanTargetsDeclared } from "./scan-targets-declared";
import { greenbone, network } from "./scan-targets-declared.fixtures";

describe("scan-targets-declared", () => {
  it("names the target and the host outside the declared networks, on the Greenbone component", async () => {
    const scanner = greenbone([
      { name: "servers", hosts: ["10.0.20.0/24", "10.0.21.0/24"] },
      { name: "odd", hosts: ["not-an-address"] },
    ]);
    const violations = await evaluatePolicies([scanTargetsDeclared], [network, scanner]);
    assert.deepEqual(
      violations.map((v) => v.message),
      [
        "scan target servers: 10.0.21.0/24 is not inside a declared network (management 10.0.10.0/24, servers 10.0.20.0/24); scan only the lab's networks",
        "scan target odd: not-an-address is not an address or CIDR",
      ],
    );
    for (const violation of violations) assert.equal(violation.urn, scanner.urn);
  });

  it("accepts hosts that lie in different declared networks", async () => {
    const both = greenbone([{ name: "span", hosts: ["10.0.10.0/24", "10.0.20.5"] }]);
    assert.deepEqual(await evaluatePolicies([scanTargetsDeclared], [network, both]), []);
  });
});
