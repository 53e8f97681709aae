/**
 * When the firewall downloads Suricata's rules. OPNsense schedules `ids update` as a cron job of its
 * own: the first ids/service/reconfigure makes a daily job "ids rule updates" (origin IDS, command
 * `ids update`, 00:00) *disabled*, and points `general.UpdateCron` at it (IDS/Api/ServiceController.php
 * reconfigureAction, Cron/Cron.php newDailyJob @ 25.7, 26.1, 26.7). Fortress finds that job through
 * `ids/settings/get` and turns it on at its own time with `cron/settings/set_job/{uuid}`, then
 * `cron/service/reconfigure` (Cron/Api/SettingsController.php setJobAction: a job another service made
 * keeps its command and parameters, which must be posted unchanged; Cron/Cron.xml masks minutes and
 * hours). Deleting it turns the job off again: it is OPNsense's, and IDS points at it.
 */
import type * as pulumi from "@pulumi/pulumi";
import { call, type Connection, withWriteLock } from "./client";
import { OpnsenseError } from "./errors";
import { checkSaved, flattenValue } from "./items";
import { type FirewallRef, OpnsenseProvider } from "./provider";

export const UPDATE_SCHEDULE_KIND = "idsUpdateSchedule";

export interface UpdateScheduleInputs {
  readonly kind: typeof UPDATE_SCHEDULE_KIND;
  readonly firewall: FirewallRef;
  /** Cron fields of the daily run (Cron.xml `minutes`, `hours`): "17", "4". */
  readonly minutes: string;
  readonly hours: string;
}

export interface UpdateScheduleOutputs extends UpdateScheduleInputs {
  readonly jobUuid: string;
  /** "1" while on; a read that finds it off records "0", and the diff turns it on again. */
  readonly enabled: string;
}

const JOB = { label: "Intrusion Detection rule-update job" };
const APPLY = { kind: "reconfigure", path: "cron/service/reconfigure" } as const;
/** What OPNsense made the job with (ServiceController::reconfigureAction): posted unchanged. */
const COMMAND = { command: "ids update", parameters: "" };

export class UpdateScheduleProvider
  extends OpnsenseProvider
  implements pulumi.dynamic.ResourceProvider<UpdateScheduleInputs, UpdateScheduleOutputs>
{
  /** The uuid `general.UpdateCron` points at. */
  private async jobUuid(connection: Connection): Promise<string> {
    const answer = (await call(connection, "GET", "ids/settings/get", undefined, this.timing.retry)) as {
      ids?: { general?: { UpdateCron?: unknown } };
    };
    const uuid = flattenValue(answer.ids?.general?.UpdateCron);
    if (!uuid) {
      throw new OpnsenseError(
        "the Intrusion Detection has no rule-update job yet: OPNsense makes it at the first ids/service/reconfigure " +
          "(the Intrusion Detection settings' apply), which this schedule waits for. Apply them, then run again",
      );
    }
    return uuid;
  }

  private async set(inputs: UpdateScheduleInputs, enabled: "0" | "1"): Promise<string> {
    const connection = this.connect(inputs.firewall);
    return withWriteLock(connection, () =>
      this.applying(connection, APPLY, async () => {
        const uuid = await this.jobUuid(connection);
        const job = {
          enabled,
          minutes: inputs.minutes,
          hours: inputs.hours,
          days: "*",
          months: "*",
          weekdays: "*",
        };
        const answer = await call(
          connection,
          "POST",
          `cron/settings/set_job/${uuid}`,
          { job: { ...job, ...COMMAND } },
          this.timing.retry,
        );
        checkSaved(JOB, answer, "set");
        return uuid;
      }),
    );
  }

  async diff(
    _id: string,
    olds: UpdateScheduleOutputs,
    news: UpdateScheduleInputs,
  ): Promise<pulumi.dynamic.DiffResult> {
    return {
      changes:
        olds.minutes !== news.minutes ||
        olds.hours !== news.hours ||
        olds.enabled !== "1" ||
        olds.firewall.url !== news.firewall.url ||
        olds.firewall.caCert !== news.firewall.caCert,
    };
  }

  async create(inputs: UpdateScheduleInputs): Promise<pulumi.dynamic.CreateResult<UpdateScheduleOutputs>> {
    const jobUuid = await this.set(inputs, "1");
    return { id: `${inputs.firewall.url}#ids-update`, outs: { ...inputs, jobUuid, enabled: "1" } };
  }

  async read(
    id: string,
    props?: UpdateScheduleOutputs,
  ): Promise<pulumi.dynamic.ReadResult<UpdateScheduleOutputs>> {
    if (!props) throw new OpnsenseError(`cannot read the ${JOB.label} ${id} without its recorded state`);
    const answer = (await call(
      this.connect(props.firewall),
      "GET",
      `cron/settings/get_job/${props.jobUuid}`,
      undefined,
      this.timing.retry,
    )) as { job?: Record<string, unknown> };
    if (!answer.job || Array.isArray(answer.job)) return {};
    const live = {
      minutes: flattenValue(answer.job.minutes),
      hours: flattenValue(answer.job.hours),
      enabled: flattenValue(answer.job.enabled),
    };
    return { id, props: { ...props, ...live } };
  }

  async update(
    _id: string,
    _olds: UpdateScheduleOutputs,
    news: UpdateScheduleInputs,
  ): Promise<pulumi.dynamic.UpdateResult<UpdateScheduleOutputs>> {
    const jobUuid = await this.set(news, "1");
    return { outs: { ...news, jobUuid, enabled: "1" } };
  }

  async delete(_id: string, props: UpdateScheduleOutputs): Promise<void> {
    await this.set(props, "0");
  }
}
