import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SERVICE_GRAPH as SERVICES } from "../../stacks/blueprint";
import { planResource } from "../lib/build";
import { evaluatePolicies } from "../lib/offline";
import { SERVICES_TYPE } from "../lib/resources";
import { serviceDependencies } from "./service-dependencies";

const services = (enabled: readonly string[], name = "services") =>
  planResource(SERVICES_TYPE, name, { enabled });

describe("service-dependencies", () => {
  it("accepts the whole catalog enabled", async () => {
    const all = SERVICES.map((service) => service.id);
    assert.deepEqual(await evaluatePolicies([serviceDependencies], [services(all)]), []);
  });

  it("names the service, what it lacks and what to do, once per missing dependency, on the record", async () => {
    const record = services(["k3s", "wazuh-dashboard"]);
    const violations = await evaluatePolicies([serviceDependencies], [record]);
    assert.deepEqual(
      violations.map((violation) => violation.message),
      [
        "service wazuh-dashboard requires wazuh-indexer, which is not enabled: add wazuh-indexer to fortress:services or disable wazuh-dashboard",
        "service wazuh-dashboard requires wazuh-manager, which is not enabled: add wazuh-manager to fortress:services or disable wazuh-dashboard",
      ],
    );
    assert.ok(
      violations.every((violation) => violation.urn === record.urn && violation.level === "mandatory"),
    );
  });

  it("checks direct dependencies only: the missing link is reported where it is", async () => {
    const violations = await evaluatePolicies(
      [serviceDependencies],
      [services(["k3s", "clamav", "wazuh-agent"])],
    );
    assert.deepEqual(
      violations.map((violation) => violation.message.split(":")[0]),
      ["service wazuh-agent requires wazuh-manager, which is not enabled"],
    );
  });

  it("flags an unknown service id and lists the known ones", async () => {
    const [violation, ...rest] = await evaluatePolicies([serviceDependencies], [services(["k3s", "splunk"])]);
    assert.deepEqual(rest, []);
    assert.match(
      violation?.message ?? "",
      /^service "splunk" is not a Fortress service: remove it .* k3s, gpu-worker/,
    );
  });

  it("reports a service listed twice once", async () => {
    const violations = await evaluatePolicies([serviceDependencies], [services(["cortex", "cortex"])]);
    assert.equal(violations.length, 1);
  });

  it("is not applicable without a Services record", async () => {
    assert.deepEqual(await evaluatePolicies([serviceDependencies], []), []);
  });
});
