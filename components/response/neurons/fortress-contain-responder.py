#!/usr/bin/env python3
# Fortress: the containment responder Cortex runs when an analyst clicks it on an IP observable in
# TheHive. Python 3 standard library only; it runs fortress-contain (the one containment action, in the
# same directory, loaded as it is) and says what happened in Cortex's report format.
#
# How Cortex runs it (TheHive-Project/Cortex@4.1.0 app/org/thp/cortex/services/ProcessJobRunnerSrv.scala):
# `<this file> <job folder>`, working directory the catalog's base; JobRunnerSrv.prepareJobFolder wrote
# <job folder>/input/input.json: for a responder {"data": <the TheHive object, JSON>, "dataType":
# "thehive:case_artifact", "tlp", "pap", "message", "parameters", "config"}. It reads
# <job folder>/output/output.json (JobRunnerSrv.extractReport): {"success": true, "full": {...},
# "summary": {...}, "operations": [...]} or {"success": false, "errorMessage": "..."}; TheHive applies
# the operations ({"type": "AddTagToArtifact", "tag": ...}: cortexutils Responder.build_operation).
#
# The observable is {"dataType": "ip", "data": "<address>", ...}; anything else is refused before
# fortress-contain runs. fortress-contain's configuration (the firewall's API, the containment key, the
# allow-list, the SIEM's syslog) is FORTRESS_CONTAIN_CONFIG or /etc/fortress/contain/contain.json,
# mounted root-only from a Secret; nothing secret is written to the report.

import contextlib
import importlib.util
import io
import json
import os
import sys

CONFIG = "/etc/fortress/contain/contain.json"
TAG = "fortress:contained"
EXIT_MEANING = {
    0: "contained",
    2: "refused (allow-listed or not one host)",
    3: "failed",
    4: "the firewall did not answer in time",
    64: "the containment configuration is unusable",
}


def load_contain():
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fortress-contain.py")
    spec = importlib.util.spec_from_file_location("fortress_contain", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write(job, report):
    output = os.path.join(job, "output")
    os.makedirs(output, exist_ok=True)
    with open(os.path.join(output, "output.json"), "w", encoding="utf-8") as handle:
        json.dump(report, handle)


def failure(message):
    return {"success": False, "errorMessage": message}


def observable(job_input):
    data = job_input.get("data")
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except ValueError:
            return None, "the job's data is not TheHive's observable"
    if not isinstance(data, dict):
        return None, "the job's data is not TheHive's observable"
    if data.get("dataType") != "ip" or not isinstance(data.get("data"), str):
        return None, "FortressContain contains hosts: run it on an IP observable, not %s" % data.get("dataType")
    return data, None


def reason_of(data, job_input):
    case = data.get("case") if isinstance(data.get("case"), dict) else {}
    number = case.get("number") or case.get("caseId")
    if number:
        return "TheHive case #%s" % number
    return "TheHive observable %s" % (data.get("_id") or data.get("id") or "?")


def run(job, environ):
    try:
        with open(os.path.join(job, "input", "input.json"), encoding="utf-8") as handle:
            job_input = json.load(handle)
    except (OSError, ValueError) as error:
        return failure("cannot read the job's input: %s" % error)
    data, problem = observable(job_input)
    if problem:
        return failure(problem)
    address = data["data"].strip()
    contain = load_contain()
    printed = io.StringIO()
    argv = ["--config", environ.get("FORTRESS_CONTAIN_CONFIG", CONFIG), "--by", "thehive",
            "--reason", reason_of(data, job_input), "add", address]
    said = None
    try:
        with contextlib.redirect_stdout(printed):
            code = contain.main(argv)
    except SystemExit as error:  # argparse: usage; load_config: an unusable file, with its reason
        code = error.code if isinstance(error.code, int) else 64
        said = None if isinstance(error.code, int) else str(error.code)
    lines = [line for line in printed.getvalue().splitlines() if line.strip()]
    try:
        result = json.loads(lines[-1]) if lines else {}
    except ValueError:
        result = {}
    if code != 0:
        detail = result.get("error") or said or EXIT_MEANING.get(code, "exit %s" % code)
        return failure("fortress-contain %s: %s" % (address, detail))
    return {
        "success": True,
        "full": {"address": address, "result": result.get("result", "contained"), "action": "add"},
        "summary": {"taxonomies": [{"level": "info", "namespace": "Fortress", "predicate": "Contained", "value": address}]},
        "operations": [
            {"type": "AddTagToArtifact", "tag": TAG},
            {"type": "AddTagToCase", "tag": "%s=%s" % (TAG, address)},
        ],
    }


def main(argv, environ):
    job = argv[1] if len(argv) > 1 else "/job"
    write(job, run(job, environ))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv, os.environ))
