import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { IndexerAccess, SshHost } from "../siem/contract";
import { GPG_PACKAGE as MANAGER_GPG } from "../siem/manager/pins";
import type { IndexerTarget, ShipperHost } from "./contract";
import { GPG_PACKAGE } from "./pins";

// Compile-time: the SIEM's values fit the shipper's arguments as they are, and back.
type Fits<A, B> = A extends B ? (B extends A ? true : false) : false;
const hostFits: Fits<SshHost, ShipperHost> = true;
const indexerFits: Fits<IndexerAccess, IndexerTarget> = true;

describe("the shipper's contract with the SIEM", () => {
  it("takes the SIEM's SshHost and IndexerAccess as they are", () => {
    assert.ok(hostFits && indexerFits);
  });

  it("pins gpg as the manager's install does", () => {
    assert.deepEqual(GPG_PACKAGE, MANAGER_GPG);
  });
});
