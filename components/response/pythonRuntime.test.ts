import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { run, shellcheck } from "../../test/support/debianTools";
import {
  PYTHON_RUNTIME,
  pythonRuntimeTransform,
  responderLauncher,
  withPythonRuntime,
} from "./pythonRuntime";

type Obj = Record<string, any>;

/** The chart's Deployment as cortex-charts/cortex/templates/deployment.yaml renders it (the parts touched). */
const chartDeployment = (): Obj => ({
  metadata: { name: "cortex", namespace: "fortress-response" },
  spec: {
    template: {
      spec: {
        containers: [
          {
            name: "cortex",
            volumeMounts: [{ name: "cortex-job-shared-pvc", mountPath: "/tmp/cortex-jobs" }],
          },
        ],
        volumes: [{ name: "cortex-job-shared-pvc", persistentVolumeClaim: { claimName: "c" } }],
      },
    },
  },
});

describe("the Python runtime in Cortex's pod", () => {
  it("copies the pinned image's /usr/local into a volume Cortex mounts read-only, restricted and limited", () => {
    const spec = withPythonRuntime(chartDeployment().spec.template.spec, "cortex", 1000) as Obj;
    const [init] = spec.initContainers;
    assert.equal(init.image, PYTHON_RUNTIME.image);
    assert.match(init.image, /^docker\.io\/library\/python:3\.13\.9-slim-trixie@sha256:[0-9a-f]{64}$/);
    assert.deepEqual(init.command.slice(-2), ["/usr/local/.", "/runtime/"]);
    assert.equal(init.securityContext.runAsNonRoot, true);
    assert.equal(init.securityContext.allowPrivilegeEscalation, false);
    assert.ok(init.resources.limits.memory);
    assert.deepEqual(spec.volumes.at(-1), { name: "fortress-python", emptyDir: { sizeLimit: "200Mi" } });
    const mounts = spec.containers[0].volumeMounts;
    assert.equal(mounts.length, 2, "the chart's job directory mount stays");
    assert.deepEqual(mounts[1], {
      name: "fortress-python",
      mountPath: PYTHON_RUNTIME.mountPath,
      readOnly: true,
    });
    assert.throws(() => withPythonRuntime(spec, "thehive", 1000), /no container thehive/);
  });

  it("changes only the Cortex Deployment, once however often it runs", async () => {
    const transform = pythonRuntimeTransform("cortex", 1000);
    const call = (type: string, props: Obj) =>
      transform({ type, name: "n", props, opts: {}, custom: true } as never) as { props: Obj } | undefined;
    assert.equal(call("kubernetes:core/v1:Service", chartDeployment()), undefined);
    assert.equal(
      call("kubernetes:apps/v1:Deployment", { ...chartDeployment(), metadata: { name: "x" } }),
      undefined,
    );
    const once = call("kubernetes:apps/v1:Deployment", chartDeployment())!.props;
    const twice = call("kubernetes:apps/v1:Deployment", once)!.props;
    assert.deepEqual(twice, once);
    assert.equal(once.spec.template.spec.initContainers.length, 1);
  });

  it("launches the adapter beside it with that Python, passing Cortex's job folder on", () => {
    const launcher = responderLauncher("adapter.py");
    assert.equal(shellcheck(launcher, "sh").status, 0, shellcheck(launcher, "sh").stdout);
    const dir = mkdtempSync(join(tmpdir(), "fortress-launcher-"));
    mkdirSync(join(dir, "bin"));
    symlinkSync("/usr/bin/python3", join(dir, "bin", "python3"));
    writeFileSync(join(dir, "launch"), launcher);
    chmodSync(join(dir, "launch"), 0o755);
    writeFileSync(
      join(dir, "adapter.py"),
      "import os, sys\nprint(sys.argv[1:], os.environ['LD_LIBRARY_PATH'].split(':')[0])\n",
    );
    const result = run(join(dir, "launch"), ["/tmp/cortex-jobs/job-1"], {
      env: { ...process.env, FORTRESS_PYTHON: join(dir, "bin", "python3") },
    });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout.trim(), `['/tmp/cortex-jobs/job-1'] ${PYTHON_RUNTIME.mountPath}/lib`);
  });
});
