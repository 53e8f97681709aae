/**
 * A classic pcap file (libpcap format: magic a1b2c3d4, version 2.4, LINKTYPE_ETHERNET) of IPv4 UDP
 * and TCP packets, with correct IPv4 and transport checksums, for softflowd to read in the tests.
 */

export interface Packet {
  readonly src: string;
  readonly dst: string;
  readonly proto: "udp" | "tcp";
  readonly srcPort: number;
  readonly dstPort: number;
  /** Seconds since the epoch. */
  readonly time: number;
  /** TCP flags byte (SYN 0x02, ACK 0x10, FIN 0x01). */
  readonly flags?: number;
  readonly payload?: string;
}

const ip = (address: string) => Buffer.from(address.split(".").map(Number));

function checksum(data: Buffer): number {
  let sum = 0;
  for (let i = 0; i < data.length; i += 2) sum += (data[i] as number) * 256 + (data[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

function frame(packet: Packet): Buffer {
  const payload = Buffer.from(packet.payload ?? "fortress", "utf8");
  const protocol = packet.proto === "udp" ? 17 : 6;
  let transport: Buffer;
  if (packet.proto === "udp") {
    transport = Buffer.alloc(8);
    transport.writeUInt16BE(packet.srcPort, 0);
    transport.writeUInt16BE(packet.dstPort, 2);
    transport.writeUInt16BE(8 + payload.length, 4);
  } else {
    transport = Buffer.alloc(20);
    transport.writeUInt16BE(packet.srcPort, 0);
    transport.writeUInt16BE(packet.dstPort, 2);
    transport.writeUInt32BE(1000, 4);
    transport.writeUInt32BE(packet.flags === 0x02 ? 0 : 2000, 8);
    transport[12] = 5 << 4;
    transport[13] = packet.flags ?? 0x10;
    transport.writeUInt16BE(65535, 14);
  }
  transport = Buffer.concat([transport, payload]);
  const pseudo = Buffer.concat([ip(packet.src), ip(packet.dst), Buffer.from([0, protocol]), Buffer.alloc(2)]);
  pseudo.writeUInt16BE(transport.length, 10);
  transport.writeUInt16BE(checksum(Buffer.concat([pseudo, transport])), packet.proto === "udp" ? 6 : 16);
  const header = Buffer.alloc(20);
  header[0] = 0x45;
  header.writeUInt16BE(20 + transport.length, 2);
  header.writeUInt16BE(1, 4);
  header[8] = 64;
  header[9] = protocol;
  ip(packet.src).copy(header, 12);
  ip(packet.dst).copy(header, 16);
  header.writeUInt16BE(checksum(header), 10);
  const ethernet = Buffer.from([2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x08, 0x00]);
  return Buffer.concat([ethernet, header, transport]);
}

export function pcapFile(packets: readonly Packet[]): Buffer {
  const global = Buffer.alloc(24);
  global.writeUInt32LE(0xa1b2c3d4, 0);
  global.writeUInt16LE(2, 4);
  global.writeUInt16LE(4, 6);
  global.writeUInt32LE(65535, 16);
  global.writeUInt32LE(1, 20);
  const records = packets.map((packet) => {
    const data = frame(packet);
    const record = Buffer.alloc(16);
    record.writeUInt32LE(Math.floor(packet.time), 0);
    record.writeUInt32LE(Math.round((packet.time % 1) * 1e6), 4);
    record.writeUInt32LE(data.length, 8);
    record.writeUInt32LE(data.length, 12);
    return Buffer.concat([record, data]);
  });
  return Buffer.concat([global, ...records]);
}
