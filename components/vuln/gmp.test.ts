/**
 * The GMP commands against gvmd's schema (greenbone/gvmd src/schema_formats/XML/GMP.xml.in): each is
 * well-formed (xmllint) and carries the elements and attributes the schema's pattern requires, read
 * back with XPath from the rendered XML, built from a sample inventory.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { run, xmllint } from "../../test/support/debianTools";
import {
  ALL_IANA_TCP_PORT_LIST,
  FULL_AND_FAST_CONFIG,
  OPENVAS_DEFAULT_SCANNER,
  PLACEHOLDERS,
  createCredential,
  createSchedule,
  createTarget,
  createTask,
  icalendar,
  modifyCredential,
  modifyTarget,
  startTask,
  xmlEscape,
} from "./gmp";
import { desiredState } from "./targets";

const INVENTORY = [
  { name: "servers", hosts: ["10.0.20.0/24"] },
  { name: "users", hosts: ["10.0.30.0/24", "10.0.31.7"] },
  { name: "role-k3s", hosts: ["10.0.20.11", "10.0.20.12", "10.0.20.13"] },
];
const TASK_ID = "4a3c4b1e-1b2c-4d5e-8f90-123456789abc";

/** XPath over a rendered command (xmllint --xpath, string results). */
function xpath(xml: string, expression: string): string {
  const result = run("xmllint", ["--xpath", expression, "-"], { input: xml });
  assert.equal(result.status, 0, `${expression}: ${result.stderr}`);
  return result.stdout.trim();
}
const count = (xml: string, path: string) => Number(xpath(xml, `count(${path})`));

function wellFormed(xml: string) {
  const result = xmllint(xml);
  assert.equal(result.status, 0, result.stderr);
}

describe("GMP commands", () => {
  const state = desiredState(INVENTORY, true);

  it("are well-formed for every target of the sample inventory", () => {
    assert.equal(state.targets.length, 3);
    for (const target of state.targets)
      for (const xml of [
        target.createTarget,
        target.modifyTarget,
        target.createSchedule,
        target.modifySchedule,
        target.createTask,
      ])
        wellFormed(xml);
    wellFormed(state.credential?.create ?? "");
    wellFormed(state.credential?.modify ?? "");
    wellFormed(startTask(TASK_ID));
  });

  it("create_target: name, hosts and port_list id (required), the SSH credential on port 22", () => {
    const xml = state.targets.find((target) => target.name === "fortress-users")?.createTarget ?? "";
    assert.equal(xpath(xml, "string(/create_target/name)"), "fortress-users");
    assert.equal(xpath(xml, "string(/create_target/hosts)"), "10.0.30.0/24,10.0.31.7");
    assert.equal(xpath(xml, "string(/create_target/port_list/@id)"), ALL_IANA_TCP_PORT_LIST);
    assert.equal(xpath(xml, "string(/create_target/ssh_credential/@id)"), PLACEHOLDERS.credentialId);
    assert.equal(xpath(xml, "string(/create_target/ssh_credential/port)"), "22");
    assert.equal(count(xml, "/create_target/port_range"), 0, "port_list and port_range are alternatives");
  });

  it("modify_target: target_id (required), hosts with an exclude_hosts (gmp.c: HOSTS requires an EXCLUDE_HOSTS)", () => {
    const xml = state.targets[0]?.modifyTarget ?? "";
    assert.equal(xpath(xml, "string(/modify_target/@target_id)"), PLACEHOLDERS.targetId);
    assert.equal(count(xml, "/modify_target/hosts"), 1);
    assert.equal(count(xml, "/modify_target/exclude_hosts"), 1);
    assert.equal(xpath(xml, "string(/modify_target/ssh_credential/@id)"), PLACEHOLDERS.credentialId);
    const unauthenticated = desiredState(INVENTORY, false).targets[0]?.modifyTarget ?? "";
    // gvmd reads a left-out ssh_credential as "unchanged"; id "0" removes it (manage_sql_targets.c).
    assert.equal(xpath(unauthenticated, "string(/modify_target/ssh_credential/@id)"), "0");
  });

  it("create_task: name, config (Full and fast), target, scanner (OpenVAS Default), schedule", () => {
    const xml = state.targets[0]?.createTask ?? "";
    assert.equal(xpath(xml, "string(/create_task/name)"), state.targets[0]?.name);
    assert.equal(xpath(xml, "string(/create_task/config/@id)"), FULL_AND_FAST_CONFIG);
    assert.equal(xpath(xml, "string(/create_task/target/@id)"), PLACEHOLDERS.targetId);
    assert.equal(xpath(xml, "string(/create_task/scanner/@id)"), OPENVAS_DEFAULT_SCANNER);
    assert.equal(xpath(xml, "string(/create_task/schedule/@id)"), PLACEHOLDERS.scheduleId);
  });

  it("start_task: task_id only", () => {
    const xml = startTask(TASK_ID);
    assert.equal(xpath(xml, "string(/start_task/@task_id)"), TASK_ID);
    assert.equal(count(xml, "/start_task/*"), 0);
    assert.throws(() => startTask("1; drop"), /not a GMP id/);
  });

  it("create_schedule: name, an iCalendar VEVENT with a weekly RRULE, timezone", () => {
    const xml = state.targets[1]?.createSchedule ?? "";
    assert.equal(xpath(xml, "string(/create_schedule/name)"), state.targets[1]?.name);
    assert.equal(xpath(xml, "string(/create_schedule/timezone)"), "UTC");
    const ical = xpath(xml, "string(/create_schedule/icalendar)");
    assert.match(ical, /^BEGIN:VCALENDAR\r?\nVERSION:2\.0\r?\n/);
    assert.match(
      ical,
      /BEGIN:VEVENT\r?\nDTSTART:20260104T020000Z\r?\nRRULE:FREQ=WEEKLY;BYDAY=MO\r?\nEND:VEVENT/,
    );
    const modify = state.targets[1]?.modifySchedule ?? "";
    assert.equal(xpath(modify, "string(/modify_schedule/@schedule_id)"), PLACEHOLDERS.scheduleId);
    assert.equal(xpath(modify, "string(/modify_schedule/icalendar)"), ical);
    assert.equal(state.targets[1]?.icalendar.replace(/\r/g, ""), ical.replace(/\r/g, ""));
    assert.throws(
      () => icalendar({ name: "x", weekday: "MO", hour: 24, minute: 0, startDate: "20260104" }),
      /hour/,
    );
  });

  it("create_credential: type usk, login, key/private (the placeholder, never a key in the state)", () => {
    const xml = state.credential?.create ?? "";
    assert.equal(xpath(xml, "string(/create_credential/type)"), "usk");
    assert.equal(xpath(xml, "string(/create_credential/login)"), "fortress-scan");
    assert.equal(xpath(xml, "string(/create_credential/key/private)"), PLACEHOLDERS.privateKey);
    assert.equal(
      xpath(modifyCredential(), "string(/modify_credential/@credential_id)"),
      PLACEHOLDERS.credentialId,
    );
    assert.throws(() => createCredential({ name: "x", login: "Bad User", comment: "" }), /login/);
  });

  it("escapes every value: markup in a name stays text", () => {
    const name = `fortress-<x a="1">&'`;
    const xml = createTarget({
      name,
      hosts: ["10.0.0.1"],
      comment: "</comment><evil/>",
      sshCredential: false,
    });
    wellFormed(xml);
    assert.equal(xpath(xml, "string(/create_target/name)"), name);
    assert.equal(count(xml, "//evil"), 0);
    assert.equal(xmlEscape(`<&>"'`), "&lt;&amp;&gt;&quot;&apos;");
    assert.throws(() => xmlEscape("a\u0000b"), /XML cannot carry/);
    assert.throws(() =>
      createSchedule({ name: "x", weekday: "MO", hour: 1, minute: 60, startDate: "20260104" }),
    );
    assert.throws(
      () => modifyTarget({ name: "x", hosts: ["10.0.0.1 --evil"], comment: "", sshCredential: false }),
      /not an address/,
    );
    assert.throws(() => createTask({ name: "x", comment: "", configId: "full" }), /not a GMP id/);
  });
});

describe("desired state", () => {
  it("is the same JSON for the same inventory in any order, Fortress-named, one schedule day each", () => {
    const a = JSON.stringify(desiredState(INVENTORY, true));
    const b = JSON.stringify(desiredState([...INVENTORY].reverse(), true));
    assert.equal(a, b);
    const state = desiredState(INVENTORY, true);
    for (const target of state.targets) assert.match(target.name, /^fortress-[a-z0-9-]+$/);
  });

  it("refuses what gvmd would refuse: bad names, duplicates, non-addresses, more than 4095 addresses", () => {
    assert.throws(() => desiredState([{ name: "Servers", hosts: ["10.0.0.0/24"] }], false), /a name is/);
    assert.throws(
      () =>
        desiredState(
          [
            { name: "a", hosts: ["10.0.0.1"] },
            { name: "a", hosts: ["10.0.0.2"] },
          ],
          false,
        ),
      /named twice/,
    );
    assert.throws(() => desiredState([{ name: "a", hosts: ["host.example"] }], false), /not an address/);
    assert.throws(() => desiredState([{ name: "a", hosts: ["10.0.0.0/20"] }], false), /4095/);
    assert.throws(() => desiredState([{ name: "a", hosts: [] }], false), /no hosts/);
  });
});
