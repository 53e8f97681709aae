/**
 * An OPNsense plugin package, installed through the firmware API (opnsense/core
 * src/opnsense/mvc/app/controllers/OPNsense/Core/Api/FirmwareController.php @ 25.7, 26.1, 26.7):
 * - GET core/firmware/info lists the packages and plugins, each with `installed` "1" or "0";
 * - POST core/firmware/install/<pkg> starts `configd firmware install <pkg>` in the background and
 *   answers {"status": "ok", "msg_uuid": ...} (a GET answers {"status": "failure"});
 * - GET core/firmware/upgradestatus answers the running job's log: {"status": "running"}, "done" once
 *   the log holds ***DONE***, "reboot" for ***REBOOT***, "error" when configd answers nothing.
 * The log says done also when pkg failed, so the install counts only once `info` lists the plugin as
 * installed. A plugin that was there before is adopted and left installed on delete; one Fortress
 * installed is removed on delete (POST core/firmware/remove/<pkg>, the same background job).
 * Privilege: "System: Firmware" (page-system-firmware-manualupdate, api/core/firmware/*), which also
 * allows updates, reboot and power-off: a key gets it only for a lab that asks Fortress to install
 * plugins (privileges.ts).
 */
import type * as pulumi from "@pulumi/pulumi";
import { call, type Connection, withWriteLock } from "./client";
import { OpnsenseError } from "./errors";
import { type FirewallRef, OpnsenseProvider } from "./provider";

export const PLUGIN_KIND = "plugin";

export interface PluginInputs {
  readonly kind: typeof PLUGIN_KIND;
  readonly firewall: FirewallRef;
  /** The package, e.g. os-node_exporter. */
  readonly name: string;
  /** Seconds the install may take (pkg fetches from the mirror). */
  readonly timeoutSeconds: number;
}

export interface PluginOutputs extends PluginInputs {
  /** The version `info` lists once installed. */
  readonly version: string;
  /** "1" when the plugin was installed before Fortress: left installed on delete. */
  readonly adopted: string;
}

const PACKAGE = /^os-[\w.+-]+$/;

interface InfoRow {
  readonly name?: unknown;
  readonly version?: unknown;
  readonly installed?: unknown;
}

export class PluginProvider
  extends OpnsenseProvider
  implements pulumi.dynamic.ResourceProvider<PluginInputs, PluginOutputs>
{
  /** The plugin's row in `info`, when it is installed. */
  private async installed(connection: Connection, name: string): Promise<InfoRow | undefined> {
    const answer = (await call(connection, "GET", "core/firmware/info", undefined, this.timing.retry)) as {
      plugin?: unknown;
      package?: unknown;
    };
    const rows = [answer.plugin, answer.package].flatMap((list) =>
      Array.isArray(list) ? list : [],
    ) as InfoRow[];
    return rows.find((row) => row.name === name && row.installed === "1");
  }

  /** Starts a firmware job and waits for its log to say done. */
  private async job(
    connection: Connection,
    action: "install" | "remove",
    inputs: PluginInputs,
  ): Promise<void> {
    const started = (await call(
      connection,
      "POST",
      `core/firmware/${action}/${inputs.name}`,
      {},
      this.timing.retry,
    )) as { status?: unknown };
    if (started.status !== "ok")
      throw new OpnsenseError(`the firewall refused to ${action} ${inputs.name}: ${JSON.stringify(started)}`);
    const interval = this.timing.probe.intervalMs;
    const deadline = Date.now() + inputs.timeoutSeconds * 1000;
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, interval));
      const status = (await call(
        connection,
        "GET",
        "core/firmware/upgradestatus",
        undefined,
        this.timing.retry,
      )) as {
        status?: unknown;
        log?: unknown;
      };
      if (status.status === "done") return;
      if (status.status === "error" || status.status === "reboot")
        throw new OpnsenseError(
          `${action} ${inputs.name}: the firmware job answered ${String(status.status)}: ${String(status.log ?? "").slice(-400)}`,
        );
      if (Date.now() > deadline)
        throw new OpnsenseError(
          `${action} ${inputs.name} did not finish within ${inputs.timeoutSeconds} s: see System > Firmware > Log`,
        );
    }
  }

  private async install(inputs: PluginInputs): Promise<PluginOutputs> {
    if (!PACKAGE.test(inputs.name))
      throw new OpnsenseError(`${inputs.name} is no OPNsense plugin package name`);
    const connection = this.connect(inputs.firewall);
    return withWriteLock(connection, async () => {
      const before = await this.installed(connection, inputs.name);
      if (before) return { ...inputs, version: String(before.version ?? ""), adopted: "1" };
      await this.job(connection, "install", inputs);
      const after = await this.installed(connection, inputs.name);
      if (!after)
        throw new OpnsenseError(
          `the firmware job finished but ${inputs.name} is not installed: see System > Firmware > Log on the firewall`,
        );
      return { ...inputs, version: String(after.version ?? ""), adopted: "0" };
    });
  }

  async diff(_id: string, olds: PluginOutputs, news: PluginInputs): Promise<pulumi.dynamic.DiffResult> {
    const replaces = [
      ...(olds.name !== news.name ? ["name"] : []),
      ...(olds.firewall.url !== news.firewall.url ? ["firewall"] : []),
    ];
    return { changes: replaces.length > 0 || olds.version === "", replaces, deleteBeforeReplace: false };
  }

  async create(inputs: PluginInputs): Promise<pulumi.dynamic.CreateResult<PluginOutputs>> {
    const outs = await this.install(inputs);
    return { id: `${inputs.firewall.url}#${inputs.name}`, outs };
  }

  /** A plugin removed by hand reads as version "", and the diff installs it again. */
  async read(id: string, props?: PluginOutputs): Promise<pulumi.dynamic.ReadResult<PluginOutputs>> {
    if (!props) throw new OpnsenseError(`cannot read the plugin ${id} without its recorded state`);
    const row = await this.installed(this.connect(props.firewall), props.name);
    return { id, props: { ...props, version: row ? String(row.version ?? "") : "" } };
  }

  async update(
    _id: string,
    olds: PluginOutputs,
    news: PluginInputs,
  ): Promise<pulumi.dynamic.UpdateResult<PluginOutputs>> {
    const outs = await this.install(news);
    return { outs: { ...outs, adopted: olds.adopted === "1" ? "1" : outs.adopted } };
  }

  async delete(_id: string, props: PluginOutputs): Promise<void> {
    if (props.adopted === "1") return;
    const connection = this.connect(props.firewall);
    await withWriteLock(connection, async () => {
      if (!(await this.installed(connection, props.name))) return;
      await this.job(connection, "remove", props);
    });
  }
}
