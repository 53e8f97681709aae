/**
 * The converter from nfcapd's rotated files to JSON lines, a Python 3 program (Debian's python3, which
 * cloud-init itself needs, is on every Fortress VM). Run by a systemd timer; also run by the tests
 * against real nfcapd output.
 *
 * What nfdump 1.7.1 prints with `-o json` (phaag/nfdump@v1.7.1 src/output/output_json.c): a JSON array
 * (`json_prolog` "[", records separated by ",\n", `json_epilog` "]"), each record pretty-printed over
 * many lines, times as local time without a zone (`localtime` + "%Y-%m-%dT%H:%M:%S.%03u"); a file without
 * records prints "No matching flows" between the brackets, which is no JSON. Hence: nfdump runs with
 * TZ=UTC, that line is dropped, the array parsed, and each record written as one line with its times
 * marked UTC ("Z").
 *
 * nfcapd names a finished file `nfcapd.<YYYYMMddhhmm>` (or with seconds when it rotates faster than a
 * minute) and writes into `nfcapd.current.<pid>` until then (nfcapd(1)), so a file with the timestamp
 * name is complete. A state file lists what was converted: no file is converted twice, and entries
 * whose file nfcapd's expiry has deleted are dropped from it. Each JSON file is written aside and
 * renamed into place, so the shipper never reads half a file; JSON files older than the kept hours are
 * deleted.
 *
 * Usage: nfcapd-to-json DATA_DIR STREAM_DIR STATE_FILE KEEP_HOURS
 * DATA_DIR holds one directory per flow source (nfcapd's `-n ident,IP,dir`).
 */
export const CONVERTER_PROGRAM = String.raw`#!/usr/bin/python3
"""Fortress: nfcapd's rotated files to JSON lines (components/sensors/flows/converter.ts)."""
import json
import os
import re
import subprocess
import sys
import tempfile
import time

ROTATED = re.compile(r"^nfcapd\.\d{12}(\d{2})?$")
LOCAL_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$")
TIME_FIELDS = ("first", "last", "received", "t_event")


def rotated_files(data_dir):
    for ident in sorted(os.listdir(data_dir)):
        source = os.path.join(data_dir, ident)
        if not os.path.isdir(source):
            continue
        for name in sorted(os.listdir(source)):
            if ROTATED.match(name):
                yield ident, name, os.path.join(source, name)


def records(path):
    env = dict(os.environ, TZ="UTC")
    done = subprocess.run(["nfdump", "-r", path, "-o", "json"], capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise RuntimeError("nfdump -r %s: exit %d: %s" % (path, done.returncode, done.stderr.strip()))
    text = "\n".join(line for line in done.stdout.splitlines() if line.strip() != "No matching flows")
    if not text.strip():
        return []
    parsed = json.loads(text)
    if not isinstance(parsed, list):
        raise RuntimeError("nfdump -r %s: not a JSON array" % path)
    return parsed


def as_line(record, ident):
    for field in TIME_FIELDS:
        value = record.get(field)
        if isinstance(value, str) and LOCAL_TIME.match(value):
            record[field] = value + "Z"
    record["flow_source"] = ident
    return json.dumps(record, separators=(",", ":"), sort_keys=True)


def write_atomically(directory, name, lines, mode):
    handle, temporary = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=directory)
    with os.fdopen(handle, "w") as out:
        for line in lines:
            out.write(line + "\n")
        out.flush()
        os.fsync(out.fileno())
    os.chmod(temporary, mode)
    os.replace(temporary, os.path.join(directory, name))


def main(argv):
    if len(argv) != 5:
        print("usage: nfcapd-to-json DATA_DIR STREAM_DIR STATE_FILE KEEP_HOURS", file=sys.stderr)
        return 2
    data_dir, stream_dir, state_file, keep_hours = argv[1], argv[2], argv[3], float(argv[4])
    try:
        with open(state_file) as state:
            converted = set(line.strip() for line in state if line.strip())
    except FileNotFoundError:
        converted = set()
    present = set()
    failed = 0
    for ident, name, path in rotated_files(data_dir):
        key = ident + "/" + name
        present.add(key)
        if key in converted:
            continue
        try:
            lines = [as_line(record, ident) for record in records(path)]
        except (RuntimeError, ValueError) as error:
            print(error, file=sys.stderr)
            failed += 1
            continue
        if lines:
            write_atomically(stream_dir, "flows-%s-%s.json" % (ident, name.split(".", 1)[1]), lines, 0o640)
        converted.add(key)
    kept = sorted(converted & present)
    write_atomically(os.path.dirname(state_file) or ".", os.path.basename(state_file), kept, 0o600)
    horizon = time.time() - keep_hours * 3600
    for name in os.listdir(stream_dir):
        path = os.path.join(stream_dir, name)
        if name.endswith(".json") and os.path.getmtime(path) < horizon:
            os.remove(path)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
`;
