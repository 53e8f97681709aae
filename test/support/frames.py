"""Test helper for components/sensors/zeek/mirrorScript.test.ts: sends or counts marked frames and datagrams.

  count <if> <marker> <seconds>        raw frames carrying the marker seen on <if> (prints "ready" first)
  send <if> <marker> <n>               n broadcast frames of a local-experimental EtherType on <if>
  udp-count <ip> <port> <marker> <s>   datagrams carrying the marker received at ip:port
  udp-send <ip> <port> <marker> <n>    n datagrams to ip:port
"""
import socket
import sys
import time

ETH_P_ALL = 3
FRAME_HEAD = b"\xff" * 6 + b"\x02\x00\x00\x00\x00\x01" + b"\x88\xb5"


def count(sock, marker, seconds):
    print("ready", flush=True)
    seen, deadline = 0, time.time() + seconds
    while time.time() < deadline:
        sock.settimeout(max(0.05, deadline - time.time()))
        try:
            data = sock.recv(4096)
        except socket.timeout:
            break
        if marker in data:
            seen += 1
    print(seen, flush=True)


def main(argv):
    mode, marker = argv[1], None
    if mode == "count":
        sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
        sock.bind((argv[2], 0))
        count(sock, argv[3].encode(), float(argv[4]))
    elif mode == "send":
        sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
        sock.bind((argv[2], 0))
        marker = argv[3].encode()
        for _ in range(int(argv[4])):
            sock.send(FRAME_HEAD + marker + b"\x00" * 46)
    elif mode == "udp-count":
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.bind((argv[2], int(argv[3])))
        count(sock, argv[4].encode(), float(argv[5]))
    elif mode == "udp-send":
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        for _ in range(int(argv[5])):
            sock.sendto(argv[4].encode(), (argv[2], int(argv[3])))
            time.sleep(0.01)
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
