import { fortress } from "./stacks/main";

const lab = fortress();

export const layers = lab.layers;
export const vms = lab.vms;
export const placement = lab.placement;
