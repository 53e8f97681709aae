/**
 * The offline labs the scenario tests start, each from a stack file's lab model through the door
 * (scenario/offline/stackModel.ts, labConfig.ts): the home stack (Pulumi.home.yaml), the minimal one
 * (Pulumi.minimal.yaml), and the smb one on an existing cluster (test/fixtures/Pulumi.smb.yaml).
 */
import { join } from "node:path";
import { offlineLabConfig, type OfflineLabConfig } from "../../scenario/offline/labConfig";
import { labModelOf } from "../../scenario/offline/stackModel";

const ROOT = join(__dirname, "../..");
export const HOME_STACK = join(ROOT, "Pulumi.home.yaml");
export const MINIMAL_STACK = join(ROOT, "Pulumi.minimal.yaml");
/** The smb profile on an existing cluster (test/smb-plan.test.ts plans the same file). */
export const SMB_STACK = join(ROOT, "test/fixtures/Pulumi.smb.yaml");

export const homeLabConfig = (): OfflineLabConfig => offlineLabConfig(labModelOf(HOME_STACK));
export const minimalLabConfig = (): OfflineLabConfig => offlineLabConfig(labModelOf(MINIMAL_STACK));
export const smbLabConfig = (): OfflineLabConfig => offlineLabConfig(labModelOf(SMB_STACK));
