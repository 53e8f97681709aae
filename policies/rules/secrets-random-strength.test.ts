import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { evaluatePolicies } from "../lib/offline";
import { passwordBits, secretsRandomStrength } from "./secrets-random-strength";
import { randomPassword } from "./secrets-random-strength.fixtures";

describe("secrets-random-strength", () => {
  it("counts the alphabet the options leave", () => {
    assert.equal(passwordBits({ length: 10, special: false }), 10 * Math.log2(62));
    assert.equal(passwordBits({ length: 10 }), 10 * Math.log2(83));
    assert.equal(
      passwordBits({ length: 10, upper: false, lower: false, special: false }),
      10 * Math.log2(10),
    );
    assert.equal(
      passwordBits({ length: 10, numeric: false, special: true, overrideSpecial: "--" }),
      10 * Math.log2(53),
    );
    assert.equal(passwordBits({ length: 10, upper: false, lower: false, numeric: false, special: false }), 0);
  });

  it("draws the line at 128 bits by default, and at the configured minimum", async () => {
    assert.equal(
      (await evaluatePolicies([secretsRandomStrength], [randomPassword("a", { length: 21, special: false })]))
        .length,
      1,
    );
    assert.equal(
      (await evaluatePolicies([secretsRandomStrength], [randomPassword("a", { length: 22, special: false })]))
        .length,
      0,
    );
    const config = { "secrets-random-strength": { minimumBits: 256 } };
    assert.equal(
      (
        await evaluatePolicies(
          [secretsRandomStrength],
          [randomPassword("a", { length: 40, special: false })],
          config,
        )
      ).length,
      1,
    );
  });
});
