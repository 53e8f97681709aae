/** The pack's entry point: the only place that constructs the PolicyPack (it starts a gRPC server). */
import { PolicyPack } from "@pulumi/policy";
import { PACK_ENFORCEMENT } from "./lib/offline";
import { POLICIES } from "./registry";

new PolicyPack("fortress", { policies: [...POLICIES], enforcementLevel: PACK_ENFORCEMENT });
