// The Pulumi entry point. Its module exports are the stack outputs: the object stacks/outputs.ts
// defines (keys, types, which are secret), exported whole, so no key is re-exported by hand.
import { fortress } from "./stacks/main";

export = fortress().outputs;
