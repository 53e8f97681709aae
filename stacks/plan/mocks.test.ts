import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { captureRegistrations } from "./capture";
import { labMocks, markAdditionalSecretOutputs } from "./mocks";

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

describe("labMocks with additionalSecretOutputs", () => {
  it("the mock monitor alone hands a RandomPassword's result over in plaintext", async () => {
    assert.deepEqual(await passwordFedDownstream("plain-mocks", false), { password: "mock-db" });
  });

  it("marks it secret, as the engine does, so the plan redacts it wherever it goes", async () => {
    assert.deepEqual(await passwordFedDownstream("secret-outputs", true), { password: "[secret]" });
  });
});
