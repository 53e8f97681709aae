import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { captureRegistrations } from "./capture";
import { labMocks, markAdditionalSecretOutputs, mockPassword } from "./mocks";

/** A RandomPassword whose raw `result` (no pulumi.secret around it) feeds another resource's input. */
async function passwordFedDownstream(stack: string, honour: boolean) {
  await pulumi.runtime.setMocks(labMocks(), "fortress", stack, false);
  if (honour) markAdditionalSecretOutputs();
  const resources = captureRegistrations();
  const password = new random.RandomPassword("db", { length: 32, special: false });
  const consumer = new k8s.core.v1.ConfigMap("consumer", { data: { password: password.result } });
  await new Promise<void>((resolve) => consumer.urn.apply(() => resolve()));
  await pulumi.runtime.disconnect();
  return (resources.find((resource) => resource.name === "consumer")?.inputs as { data?: unknown })
    ?.data;
}

describe("the mocks' random passwords", () => {
  it("are mock-<name>, or, without symbols, mock and hex digits at the requested length", () => {
    assert.equal(mockPassword("db", {}), "mock-db");
    const plain = mockPassword("misp-admin-key", { length: 40, special: false });
    assert.match(plain, /^mock[0-9a-f]{36}$/);
    assert.notEqual(plain, mockPassword("misp-other-key", { length: 40, special: false }));
  });
});

describe("labMocks with additionalSecretOutputs", () => {
  it("the mock monitor alone hands a RandomPassword's result over in plaintext", async () => {
    assert.deepEqual(await passwordFedDownstream("plain-mocks", false), {
      password: mockPassword("db", { length: 32, special: false }),
    });
  });

  it("marks it secret, as the engine does, so the plan redacts it wherever it goes", async () => {
    assert.deepEqual(await passwordFedDownstream("secret-outputs", true), { password: "[secret]" });
  });
});
