import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compileFlows, EVERY, type FlowRule, mergeFlows } from "./flows";

const tcp = (port: number) => ({ port, protocol: "TCP" as const });

describe("compileFlows", () => {
  type Ns = "a" | "b" | "c";
  const rules: FlowRule<Ns>[] = [
    { from: EVERY, to: "a", ports: [tcp(1)], why: "everyone to a" },
    { from: "b", to: EVERY, ports: [tcp(2)], why: "b to everyone" },
    { from: "c", to: "b", ports: [tcp(3)], why: "c to b, when both are there" },
  ];
  const ns = (key: Ns) => `ns-${key}`;

  it("fans * out over the namespaces present, never to a namespace itself, in table order", () => {
    assert.deepEqual(compileFlows(rules, ["a", "b", "c"], ns), [
      { from: "ns-b", to: "ns-a", ports: [tcp(1)] },
      { from: "ns-c", to: "ns-a", ports: [tcp(1)] },
      { from: "ns-b", to: "ns-a", ports: [tcp(2)] },
      { from: "ns-b", to: "ns-c", ports: [tcp(2)] },
      { from: "ns-c", to: "ns-b", ports: [tcp(3)] },
    ]);
  });

  it("yields nothing for a rule whose end is absent", () => {
    assert.deepEqual(compileFlows(rules, ["a", "b"], ns), [
      { from: "ns-b", to: "ns-a", ports: [tcp(1)] },
      { from: "ns-b", to: "ns-a", ports: [tcp(2)] },
    ]);
    assert.deepEqual(compileFlows(rules, ["c"], ns), []);
  });
});

describe("mergeFlows", () => {
  it("merges flows per pair, keeps each port once, and sorts pairs and ports", () => {
    assert.deepEqual(
      mergeFlows([
        { from: "y", to: "x", ports: [tcp(9), { port: 53, protocol: "UDP" }] },
        { from: "a", to: "b", ports: [tcp(2)] },
        { from: "y", to: "x", ports: [tcp(9), { port: 53, protocol: "TCP" }] },
      ]),
      [
        { from: "a", to: "b", ports: [tcp(2)] },
        {
          from: "y",
          to: "x",
          ports: [
            { port: 9, protocol: "TCP" },
            { port: 53, protocol: "TCP" },
            { port: 53, protocol: "UDP" },
          ],
        },
      ],
    );
  });
});
