import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  DEFAULT_SNAPSHOTS,
  ismPolicy,
  retention,
  smPolicy,
  SNAPSHOT_REPOSITORY,
  snapshotRepository,
} from "./retention";

describe("retention", () => {
  it("keeps the whole days that fit below the high watermark, a day kept free for the index being written", () => {
    // 195 GB × 85 % = 165.75 GB; 2 GB a day → 82 days fit, 81 kept (the 82nd is the open index).
    assert.deepEqual(retention({ dataDiskGb: 195, ingestGbPerDay: 2, maxDays: 365 }), {
      days: 81,
      retainedGb: 164,
      usableGb: 165.75,
    });
    assert.equal(retention({ dataDiskGb: 195, ingestGbPerDay: 2, maxDays: 30 }).days, 30);
    // A replica doubles what a day takes.
    assert.equal(retention({ dataDiskGb: 195, ingestGbPerDay: 2, maxDays: 365, replicas: 1 }).days, 40);
  });

  it("never retains more than the disk holds below the high watermark", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 10, max: 4000 }),
        fc.double({ min: 0.05, max: 50, noNaN: true }),
        fc.integer({ min: 1, max: 3650 }),
        (disk, ingest, maxDays) => {
          let kept;
          try {
            kept = retention({ dataDiskGb: disk, ingestGbPerDay: ingest, maxDays });
          } catch (error) {
            // Refused only when two days do not fit.
            assert.ok(disk * 0.85 < 2 * ingest, String(error));
            return;
          }
          assert.ok(kept.days >= 1 && kept.days <= maxDays);
          assert.ok(kept.retainedGb <= disk * 0.85 + 1e-9);
        },
      ),
    );
  });

  it("refuses a disk that cannot hold two days, and nonsense", () => {
    assert.throws(
      () => retention({ dataDiskGb: 10, ingestGbPerDay: 5, maxDays: 30 }),
      /cannot hold two days/,
    );
    assert.throws(() => retention({ dataDiskGb: 0, ingestGbPerDay: 5, maxDays: 30 }), /positive/);
  });
});

describe("the ISM and SM policies", () => {
  it("moves Wazuh's alerts and archives, the audit log and the shipped streams from hot to delete at the retention age", () => {
    const { policy } = ismPolicy(81) as { policy: any };
    assert.equal(policy.default_state, "hot");
    assert.deepEqual(policy.states[0].transitions, [
      { state_name: "delete", conditions: { min_index_age: "81d" } },
    ]);
    assert.deepEqual(policy.states[1], { name: "delete", actions: [{ delete: {} }], transitions: [] });
    assert.deepEqual(policy.ism_template, [
      {
        index_patterns: [
          "wazuh-alerts-*",
          "wazuh-archives-*",
          "security-auditlog-*",
          "fortress-zeek-*",
          "fortress-netflow-*",
          "fortress-greenbone-*",
          "fortress-syslog-*",
        ],
        priority: 100,
      },
    ]);
    assert.throws(() => ismPolicy(0), /at least 1/);
    assert.throws(() => ismPolicy(1.5), /whole days/);
  });

  it("snapshots Wazuh's indices daily into the file-system repository under path.repo", () => {
    const sm = smPolicy(DEFAULT_SNAPSHOTS) as any;
    assert.equal(sm.snapshot_config.repository, SNAPSHOT_REPOSITORY);
    assert.equal(sm.snapshot_config.indices, "wazuh-*");
    assert.equal(sm.creation.schedule.cron.expression, DEFAULT_SNAPSHOTS.cron);
    assert.deepEqual(sm.deletion.condition, { max_age: "14d", max_count: 14, min_count: 3 });
    assert.deepEqual(snapshotRepository(), {
      type: "fs",
      settings: { location: "/var/lib/wazuh-indexer-snapshots", compress: true },
    });
    assert.throws(() => smPolicy({ ...DEFAULT_SNAPSHOTS, keep: 2 }), /at least 3/);
  });
});
