export { ZeekSensor, type ZeekSensorArgs } from "./zeekSensor";
export type { MirrorArgs, MirrorMode, ProxmoxNodeSsh } from "./mirror";
