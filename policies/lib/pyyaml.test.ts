import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { load } from "js-yaml";
import { PYYAML_SCHEMA, pythonTruthy } from "./pyyaml";

const read = (scalar: string) =>
  (load(`a: ${scalar}`, { schema: PYYAML_SCHEMA, json: true }) as { a: unknown }).a;

describe("pyyaml", () => {
  // Each row: the plain scalar, what PyYAML 6.0.3's safe_load makes of it, and Python's bool() of that
  // (taken from `python3 -c 'import yaml; yaml.safe_load(...)'`).
  const rows: [string, unknown, boolean][] = [
    ["no", false, false],
    ["Off", false, false],
    ["YES", true, true],
    ["on", true, true],
    ["00", 0, false],
    ["0_0", 0, false],
    ["0x_0", 0, false],
    ["0b_0", 0, false],
    ["+0", 0, false],
    ["0.", 0, false],
    ["-0.0", -0, false],
    ["0.0e+0", 0, false],
    ["0e0", "0e0", true],
    ["0o0", "0o0", true],
    ["0:00", "0:00", true],
    ["1:30", 90, true],
    ["1_000", 1000, true],
    ["~", null, false],
    ["", null, false],
    ["[]", [], false],
    ["{}", {}, false],
    ['"false"', "false", true],
    ["'no'", "no", true],
    ["n", "n", true],
  ];

  it("resolves plain scalars as PyYAML (YAML 1.1) does, and judges them as Python's bool()", () => {
    for (const [scalar, value, truthy] of rows) {
      assert.deepEqual(read(scalar), value, scalar);
      assert.equal(pythonTruthy(read(scalar)), truthy, scalar);
    }
  });

  it("keeps NaN and dates true, as Python does", () => {
    assert.ok(Number.isNaN(read(".nan")));
    assert.equal(pythonTruthy(read(".nan")), true);
    assert.ok(read("2024-01-01") instanceof Date);
    assert.equal(pythonTruthy(read("2024-01-01")), true);
  });
});
