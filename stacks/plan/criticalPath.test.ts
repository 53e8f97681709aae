import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  abbreviateChain,
  type CriticalPath,
  criticalPath,
  criticalPathChange,
  DependencyCycleError,
  type GraphResource,
} from "./criticalPath";
import { parsePlanDocument, PlanFileError } from "./diff";
import { diffPlans } from "./diffCompute";
import { renderDiffMarkdown } from "./diffMarkdown";
import type { PlanDocument } from "./document";
import { DEFAULT_SECONDS, durationOf } from "./durations";

const urn = (name: string, stack = "home") => `urn:pulumi:${stack}::fortress::test:Thing::${name}`;

function node(name: string, waitsFor: string[] = [], extra: Partial<GraphResource> = {}): GraphResource {
  return {
    urn: urn(name),
    type: "test:Thing",
    name,
    parent: null,
    dependencies: waitsFor.map((dependency) => urn(dependency)),
    provider: null,
    ...extra,
  };
}

/** Seconds per resource by name, for hand-made graphs. */
const timed =
  (seconds: Record<string, number>) =>
  (resource: GraphResource): number =>
    seconds[resource.name] ?? 0;

const names = (path: CriticalPath) => path.resources.map((step) => step.name);

describe("criticalPath", () => {
  it("takes the longest chain by seconds, not by count of resources", () => {
    // a → b → d is 1+5+1 = 7 s; a → c1 → c2 → c3 → d has more resources but 1+1+1+1+1 = 5 s.
    const graph = [
      node("a"),
      node("b", ["a"]),
      node("c1", ["a"]),
      node("c2", ["c1"]),
      node("c3", ["c2"]),
      node("d", ["b", "c3"]),
    ];
    const path = criticalPath(graph, timed({ a: 1, b: 5, c1: 1, c2: 1, c3: 1, d: 1 }));
    assert.deepEqual(names(path), ["a", "b", "d"]);
    assert.equal(path.estimatedSeconds, 7);
    assert.deepEqual(
      path.resources.map((step) => step.seconds),
      [1, 5, 1],
    );
  });

  it("breaks ties by URN, whatever the order the resources come in", () => {
    const graph = [node("a"), node("y", ["a"]), node("x", ["a"]), node("z", ["x", "y"])];
    const seconds = timed({ a: 1, x: 2, y: 2, z: 1 });
    const forward = criticalPath(graph, seconds);
    const backward = criticalPath([...graph].reverse(), seconds);
    assert.deepEqual(names(forward), ["a", "x", "z"]);
    assert.deepEqual(backward, forward);
    // Two chains that end together: the end with the smaller URN.
    const twoEnds = criticalPath([node("q"), node("p")], timed({ p: 3, q: 3 }));
    assert.deepEqual(names(twoEnds), ["p"]);
  });

  it("makes a resource wait for its parent and its provider as well as its dependencies", () => {
    const graph = [
      node("vm"),
      node("provider"),
      node("short"),
      node("child", ["short"], { parent: urn("vm") }),
      node("chart", [], { provider: urn("provider") }),
    ];
    const path = criticalPath(graph, timed({ vm: 90, provider: 100, short: 1, child: 5, chart: 1 }));
    assert.deepEqual(names(path), ["provider", "chart"]);
    assert.equal(path.estimatedSeconds, 101);
    const withoutProvider = criticalPath(graph.slice(0, 4), timed({ vm: 90, short: 1, child: 5 }));
    assert.deepEqual(names(withoutProvider), ["vm", "child"]);
  });

  it("ignores what is not in the graph (the stack), and a resource naming itself", () => {
    const graph = [node("a", ["stack", "a"])];
    assert.deepEqual(names(criticalPath(graph, timed({ a: 2 }))), ["a"]);
    assert.deepEqual(criticalPath([]), { estimatedSeconds: 0, resources: [] });
  });

  it("refuses a cycle, naming the resources in it", () => {
    const graph = [node("a", ["c"]), node("b", ["a"]), node("c", ["b"]), node("free")];
    assert.throws(
      () => criticalPath(graph, timed({})),
      (error: unknown) =>
        error instanceof DependencyCycleError &&
        ["a", "b", "c"].every((name) => error.message.includes(urn(name))) &&
        !error.message.includes(urn("free")),
    );
  });

  it("estimates by the durations table: k3s installs by name, components at 0, the unknown at the default", () => {
    assert.equal(durationOf("command:remote:Command", "k3s-agent-1-k3s-install"), 180);
    assert.equal(durationOf("command:remote:Command", "platform-k3s-ca-hash"), 5);
    assert.equal(durationOf("fortress:network:Network", "network"), 0);
    assert.equal(durationOf("proxmoxve:index/vmLegacy:VmLegacy", "k3s-server-1"), 90);
    assert.equal(durationOf("pulumi-nodejs:dynamic/fortress:opnsense:rule", "r"), 8);
    assert.equal(durationOf("pulumi-nodejs:dynamic/fortress:opnsense:alias", "a"), 4);
    assert.equal(durationOf("example:unknown:Thing", "x"), DEFAULT_SECONDS);
  });

  it("abbreviates a long chain to its ends and heaviest steps", () => {
    const graph = ["a", "b", "c", "d", "e", "f"].map((name, index, all) =>
      node(name, index > 0 ? [all[index - 1] as string] : []),
    );
    const path = criticalPath(graph, timed({ a: 1, b: 1, c: 9, d: 1, e: 1, f: 1 }));
    assert.equal(abbreviateChain(path, 3), "a → (1 more) → c → (2 more) → f");
    assert.equal(abbreviateChain(path), "a → b → c → d → e → f");
  });
});

describe("the critical path in the plan diff", () => {
  const chain = (stack: string, steps: [string, number][]): CriticalPath => ({
    estimatedSeconds: steps.reduce((sum, [, seconds]) => sum + seconds, 0),
    resources: steps.map(([name, seconds]) => ({ urn: urn(name, stack), name, type: "test:Thing", seconds })),
  });
  const plan = (criticalPath?: CriticalPath): PlanDocument => ({
    version: 1,
    project: "fortress",
    stack: "home",
    resources: [],
    layers: [],
    edges: [],
    placement: [],
    networks: [],
    zones: [],
    violations: [],
    ...(criticalPath ? { criticalPath } : {}),
  });
  const parallel = chain("home", [
    ["vm", 90],
    ["server", 180],
    ["agent-1", 180],
  ]);
  const serialized = chain("home", [
    ["vm", 90],
    ["server", 180],
    ["agent-1", 180],
    ["agent-2", 180],
  ]);

  it("is no change for the same chain in another stack", () => {
    assert.equal(criticalPathChange(parallel, chain("staging", [["vm", 90], ["server", 180], ["agent-1", 180]])), null);
    const same = diffPlans(plan(parallel), plan(parallel));
    assert.equal(same.other.criticalPath, null);
    assert.match(renderDiffMarkdown(same), /No changes/);
  });

  it("shows a change that serializes what ran side by side: the estimate and the resources that joined the chain", () => {
    const diff = diffPlans(plan(parallel), plan(serialized));
    assert.deepEqual(
      diff.other.criticalPath?.joined.map((step) => step.name),
      ["agent-2"],
    );
    assert.deepEqual(diff.other.criticalPath?.left, []);
    const markdown = renderDiffMarkdown(diff);
    assert.match(markdown, /critical path 450 s → 630 s/);
    assert.match(markdown, /#### Critical path/);
    assert.match(markdown, /8 min \(450 s\) → \*\*11 min \(630 s\)\*\* \(\+180 s\)/);
    assert.match(markdown, /Now on the chain:\n- `agent-2` \(180 s\)/);
    assert.match(markdown, /Chain: vm → server → agent-1 → agent-2/);
    const back = renderDiffMarkdown(diffPlans(plan(serialized), plan(parallel)));
    assert.match(back, /\(−180 s\)/);
    assert.match(back, /No longer on it:\n- `agent-2`/);
  });

  it("reads a base plan without one, and says the base has none", () => {
    const old = parsePlanDocument(JSON.stringify(plan()), "old.json");
    assert.equal(old.criticalPath, undefined);
    const markdown = renderDiffMarkdown(diffPlans(old, plan(parallel)));
    assert.match(markdown, /\(not in the base plan\) → \*\*8 min \(450 s\)\*\*/);
  });

  it("refuses a base whose critical path has the wrong shape", () => {
    for (const criticalPath of [42, { estimatedSeconds: "450", resources: [] }, { estimatedSeconds: 450 }]) {
      assert.throws(
        () => parsePlanDocument(JSON.stringify({ ...plan(), criticalPath }), "bad.json"),
        (error: unknown) => error instanceof PlanFileError && /"criticalPath"/.test(error.message),
      );
    }
  });
});
