#!/usr/bin/python3
# Prints the status of the Fortress scan task of one Greenbone target (gvmd's task status, e.g.
# "Requested", "Running", "Done"), read over GMP by Fortress's own client on the Greenbone VM
# (components/vuln/gvmProgram.ts, installed as fortress_gvm.py; its `rescan NAME` starts the task
# `fortress-NAME`). The scenario sends this file on stdin: `sudo -n python3 - NAME`.
# Exit codes are the client's: 3 no such task, 5 gvmd unreachable or the admin password refused,
# 6 a GMP command failed.
import os
import sys

sys.path.insert(0, os.environ.get("FORTRESS_GVM_PROGRAM_DIR", "/usr/local/lib/fortress-greenbone"))
import fortress_gvm as gvm  # noqa: E402


def main(argv):
    if len(argv) != 2:
        print("usage: gvm-task-status NAME", file=sys.stderr)
        return 2
    try:
        gmp = gvm.session()
        try:
            tasks = gvm.by_name(gmp, "task", gvm.PREFIX + argv[1])
        finally:
            gmp.close()
    except gvm.GmpError as error:
        print("gvm-task-status: %s" % error, file=sys.stderr)
        return error.code
    if not tasks:
        print("gvm-task-status: no Fortress task for target %s" % argv[1], file=sys.stderr)
        return 3
    print(tasks[0].findtext("status") or "")
    return 0


sys.exit(main(sys.argv))
