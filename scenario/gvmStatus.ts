/**
 * The Greenbone task-status query (scenario/gvm-task-status.py) as text: the live drill sends it on
 * stdin to `sudo -n python3 - <target>` on the Greenbone VM, the offline lab runs it the same way.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

export const GVM_TASK_STATUS = readFileSync(join(__dirname, "gvm-task-status.py"), "utf8");

/** A Greenbone target name as Fortress makes them (components/vuln/targets.ts). */
export const TARGET_NAME = /^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$/;
