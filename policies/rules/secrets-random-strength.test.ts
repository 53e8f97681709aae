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
      10 * Math.log2(27),
    );
    assert.equal(passwordBits({ length: 10, upper: false, lower: false, numeric: false, special: false }), 0);
  });

  it("does the provider's arithmetic: min* from their own class, an empty overrideSpecial is the default", () => {
    // 20 characters, 18 of them forced numeric: 18 * log2(10) + 2 * log2(83), not 20 * log2(83).
    assert.equal(passwordBits({ length: 20, minNumeric: 18 }), 18 * Math.log2(10) + 2 * Math.log2(83));
    // An empty overrideSpecial falls back to the 21 default specials.
    assert.equal(passwordBits({ length: 10, overrideSpecial: "" }), 10 * Math.log2(83));
    // Duplicates are drawn, not removed: "aaaa…" makes "a" 5 times likelier than other letters.
    const bits = passwordBits({ length: 10, upper: false, numeric: false, overrideSpecial: "aaaa" }) ?? 0;
    assert.equal(bits, 10 * Math.log2(30 / 5));
    // minSpecial draws specials even when special is off.
    assert.equal(
      passwordBits({ length: 4, upper: false, lower: false, special: false, minSpecial: 2 }),
      2 * Math.log2(21) + 2 * Math.log2(10),
    );
  });

  it("refuses a long password whose characters are nearly all forced from one small class", async () => {
    const forced = randomPassword("a", { length: 30, special: false, minNumeric: 28 });
    assert.equal((await evaluatePolicies([secretsRandomStrength], [forced])).length, 1);
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
