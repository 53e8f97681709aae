import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { GpuArgs } from "./args";
import { gpuMismatches, type PciDeviceFacts } from "./gpuCheck";

const GPU: GpuArgs = { id: "10de:1e93", subsystemId: "1025:1441", iommuGroup: 1, path: "0000:01:00" };

/** Function .0 of the laptop's GPU and its audio function, as the Proxmox API lists them. */
const DEVICES: PciDeviceFacts[] = [
  {
    id: "0000:01:00.0",
    vendor: "0x10de",
    device: "0x1e93",
    subsystemVendor: "0x1025",
    subsystemDevice: "0x1441",
    iommuGroup: 1,
  },
  {
    id: "0000:01:00.1",
    vendor: "0x10de",
    device: "0x10f8",
    subsystemVendor: "0x1025",
    subsystemDevice: "0x1441",
    iommuGroup: 1,
  },
];

describe("gpuMismatches", () => {
  it("finds nothing when function .0 matches id, subsystem id and IOMMU group", () => {
    assert.deepEqual(gpuMismatches("predator", GPU, DEVICES), []);
  });

  it("names each field that differs from the device, with the node's value", () => {
    const problems = gpuMismatches(
      "predator",
      { ...GPU, id: "10de:1ed1", subsystemId: "1025:0000", iommuGroup: 12 },
      DEVICES,
    );
    assert.equal(problems.length, 3);
    assert.match(problems[0] ?? "", /gpu\.id is 10de:1ed1, the device at 0000:01:00\.0 is 10de:1e93/);
    assert.match(
      problems[1] ?? "",
      /gpu\.subsystemId is 1025:0000, the device at 0000:01:00\.0 has 1025:1441/,
    );
    assert.match(problems[2] ?? "", /gpu\.iommuGroup is 12, the device at 0000:01:00\.0 is in group 1/);
    for (const problem of problems) assert.match(problem, /Proxmox will not start the GPU VM/);
  });

  it("says when the device is missing or the IOMMU is off", () => {
    assert.match(
      gpuMismatches("predator", { ...GPU, path: "0000:02:00" }, DEVICES)[0] ?? "",
      /no PCI device at 0000:02:00\.0/,
    );
    const noIommu = DEVICES.map((device) => ({ ...device, iommuGroup: -1 }));
    const [problem, ...others] = gpuMismatches("predator", GPU, noIommu);
    assert.equal(others.length, 0);
    assert.match(problem ?? "", /in no IOMMU group; turn on VT-d/);
  });
});
