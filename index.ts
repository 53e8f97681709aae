import { fortress } from "./stacks/main";

const { outputs } = fortress();

export const layers = outputs.layers;
export const vms = outputs.vms;
export const placement = outputs.placement;
