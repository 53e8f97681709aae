// The stack outputs, one export per key of FortressOutputs (stacks/outputs.ts, which lists them and
// says which are secret); test/pulumi-loader.test.ts checks that the two agree.
import { fortress } from "./stacks/main";

const { outputs } = fortress();

export const layers = outputs.layers;
export const vms = outputs.vms;
export const placement = outputs.placement;
export const kubeconfig = outputs.kubeconfig;
export const fortressCaCertificate = outputs.fortressCaCertificate;
export const keycloakAdminUser = outputs.keycloakAdminUser;
export const keycloakAdminPassword = outputs.keycloakAdminPassword;
export const vaultwardenAdminToken = outputs.vaultwardenAdminToken;
