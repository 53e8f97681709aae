import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { evaluatePolicies } from "../lib/offline";
import { greenboneNoDefaultPassword } from "./greenbone-no-default-password";
import { greenbonePlan } from "./greenbone-no-default-password.fixtures";

const messages = async (...options: Parameters<typeof greenbonePlan>) =>
  (await evaluatePolicies([greenboneNoDefaultPassword], greenbonePlan(...options))).map((v) => v.message);

describe("greenbone-no-default-password", () => {
  it("accepts a random admin password handed to the install", async () => {
    assert.deepEqual(await messages(), []);
  });

  it("names each problem on the Greenbone component", async () => {
    const resources = greenbonePlan({ source: "config", length: 12 });
    const violations = await evaluatePolicies([greenboneNoDefaultPassword], resources);
    assert.deepEqual(
      violations.map((v) => v.message),
      [
        "Greenbone greenbone does not take its admin password from random",
        "Greenbone greenbone's admin password is 12 characters, under 20",
      ],
    );
    for (const violation of violations) assert.equal(violation.urn, resources[1]?.urn);
  });

  it("finds the shipped password in gvmd's flags and the container's PASSWORD, quoted or not", async () => {
    for (const script of [
      "gvmd --user=admin --new-password='admin'",
      'gvmd --create-user=admin --password="admin"',
      "export PASSWORD=admin",
      "      PASSWORD: 'admin'",
    ])
      assert.deepEqual(
        await messages({ script }),
        ['greenbone-install sets Greenbone\'s shipped admin password "admin"'],
        script,
      );
    for (const script of [
      "gvmd --new-password-file=/x",
      "PASSWORD: administrator",
      "--password=admin2",
      "ADMIN_PASSWORD_PATH",
    ])
      assert.deepEqual(await messages({ script }), [], script);
  });
});
