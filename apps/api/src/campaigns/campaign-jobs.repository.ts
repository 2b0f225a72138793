import { Injectable } from '@nestjs/common';
import { Db } from '../tenancy/db.service';

export const TICK_TASK = 'campaign_tick';
export const CALL_ENDED_TASK = 'campaign_call_ended';
export const DISPATCH_TASK = 'call_dispatch';
export const SIMULATE_TASK = 'call_simulate';

/**
 * The engine's jobs, enqueued with graphile-worker's SQL in the caller's
 * tenant transaction: a decision and the job that carries it out commit
 * together, or neither does. (A campaign call's end enqueues its job from
 * a trigger, migrations/012.)
 */
@Injectable()
export class CampaignJobsRepository {
  constructor(private readonly db: Db) {}

  private async add(
    task: string,
    payload: Record<string, unknown>,
    opts: {
      runAt?: string;
      key?: string;
      mode?: 'replace' | 'preserve_run_at';
      maxAttempts?: number;
    },
  ): Promise<void> {
    await this.db.query(
      `SELECT graphile_worker.add_job($1, $2::json, run_at => $3::timestamptz, job_key => $4,
                                      job_key_mode => $5, max_attempts => $6)`,
      [
        task,
        JSON.stringify({ tenantId: this.db.tenantId(), ...payload }),
        opts.runAt ?? null,
        opts.key ?? null,
        opts.mode ?? 'replace',
        opts.maxAttempts ?? 25,
      ],
    );
  }

  /**
   * The campaign's next dispatch round: one pending round per campaign (job
   * key). `soon` moves a pending round earlier (a line freed, the campaign
   * started or resumed); without it a round scheduled earlier keeps its time.
   */
  async tick(campaignId: string, runAt: string | null, soon: boolean): Promise<void> {
    await this.add(
      TICK_TASK,
      { campaignId },
      {
        runAt: runAt ?? undefined,
        key: `${TICK_TASK}:${campaignId}`,
        mode: soon ? 'replace' : 'preserve_run_at',
      },
    );
  }

  /** Place this call through the tenant's dialer (after this transaction commits). */
  async dispatch(callId: string): Promise<void> {
    await this.add(
      DISPATCH_TASK,
      { callId },
      { key: `${DISPATCH_TASK}:${callId}`, maxAttempts: 3 },
    );
  }

  /** The simulator's next step of a call, at `runAt`. */
  async simulate(callId: string, step: number, runAt: string): Promise<void> {
    await this.add(SIMULATE_TASK, { callId, step }, { runAt, key: `${SIMULATE_TASK}:${callId}` });
  }

  /**
   * Dispatch rounds of one tenant take turns (their campaigns, and "Call
   * now"), so that the tenant's cap is counted with every call already
   * placed; other tenants never wait. Released at commit.
   */
  async lockTenantDispatch(): Promise<void> {
    await this.db.query(`SELECT pg_advisory_xact_lock(hashtextextended('dispatch:' || $1, 0))`, [
      this.db.tenantId(),
    ]);
  }
}
