import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { chartValuesOf, K3S_HELM_CHART_TYPE } from "./charts";
import { CONFIG_GROUP_TYPE, embeddedObjects } from "./embedded";

describe("YAML 1.1 booleans, as sigs.k8s.io/yaml reads them", () => {
  it("reads unquoted yes/on/y (no/off/n) as booleans in a ConfigGroup's yaml, and quoted ones as strings", () => {
    const [object] = embeddedObjects({
      type: CONFIG_GROUP_TYPE,
      props: {
        yaml: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  hostNetwork: yes\n  hostPID: On\n  hostIPC: n\n  a: "yes"\n  b: 5\n',
      },
    });
    assert.deepEqual(object?.props.spec, {
      hostNetwork: true,
      hostPID: true,
      hostIPC: false,
      a: "yes",
      b: 5,
    });
  });

  it("reads them as booleans in a HelmChart's valuesContent", () => {
    const values = chartValuesOf({
      type: K3S_HELM_CHART_TYPE,
      props: { spec: { valuesContent: "securityContext:\n  privileged: YES\n  runAsNonRoot: off\n" } },
    }).sources.find((source) => source.path === "spec.valuesContent")?.values;
    assert.deepEqual(values, { securityContext: { privileged: true, runAsNonRoot: false } });
  });
});
