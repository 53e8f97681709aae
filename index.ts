// The Pulumi entry point. Its module exports are the stack outputs (a CommonJS program's `require`
// result, @pulumi/pulumi cmd/run/run.ts): the object stacks/outputs.ts defines (keys, types, which
// are secret), exported whole, so no key is re-exported by hand.
import { fortress } from "./stacks/main";

export = fortress().outputs;
