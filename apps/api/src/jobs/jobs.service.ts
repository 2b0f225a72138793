import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { type Runner, type TaskList, parseCronItems, run } from 'graphile-worker';
import { Pool } from 'pg';
import type { Env } from '../config/env';
import { DatabaseService } from '../database/database.service';
import { engineLogger } from '../database/job-engine';

export type JobHandler = (payload: unknown) => Promise<void>;

/**
 * The job engine (graphile-worker, on the application's PostgreSQL): feature
 * modules define their tasks and schedules here when they start; the worker
 * runs them in the API process (WORKER_IN_API, the default) or in its own
 * process (`main.js worker`). Jobs are enqueued in SQL, in the transaction
 * of the change that causes them (see migrations/008), never from here.
 * Any number of workers share the queue; a job runs on one of them at a time.
 */
@Injectable()
export class JobsService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('Jobs');
  private readonly tasks: TaskList = {};
  private readonly schedules: Array<{ task: string; match: string }> = [];
  private runner?: Runner;
  private pool?: Pool;

  constructor(
    private readonly config: ConfigService<Env, true>,
    private readonly database: DatabaseService,
  ) {}

  /** A task the worker runs; its payload is the JSON the enqueuing SQL gave. */
  define(task: string, handler: JobHandler): void {
    this.tasks[task] = (payload) => handler(payload);
  }

  /** A task run on a cron schedule (UTC), once per occurrence across all workers. */
  schedule(task: string, match: string): void {
    this.schedules.push({ task, match });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.get('WORKER_IN_API', { infer: true })) await this.start();
  }

  get running(): boolean {
    return this.runner !== undefined;
  }

  /** Starts the worker (idempotent). */
  async start(): Promise<void> {
    if (this.runner) return;
    const concurrency = this.config.get('JOBS_CONCURRENCY', { infer: true });
    // its own connections: a LISTEN connection and one per job in progress
    this.pool = new Pool({
      connectionString: this.config.get('JOBS_DATABASE_URL', { infer: true }) ?? this.database.url,
      max: concurrency + 2,
    });
    this.pool.on('error', (e) => this.log.warn(`job engine connection: ${e.message}`));
    this.runner = await run({
      pgPool: this.pool,
      taskList: this.tasks,
      parsedCronItems: parseCronItems(
        this.schedules.map((s) => ({ ...s, identifier: s.task, options: { backfillPeriod: 0 } })),
      ),
      concurrency,
      // new jobs arrive by LISTEN/NOTIFY; the poll is the fallback (and finds jobs due later)
      pollInterval: this.config.get('JOBS_POLL_INTERVAL_MS', { infer: true }),
      // PgBouncer in transaction mode and the embedded database share sessions between clients
      noPreparedStatements: true,
      // server.ts and the worker command stop it on SIGTERM, after the HTTP drain
      noHandleSignals: true,
      logger: engineLogger((level, line) => this.log[level === 'info' ? 'log' : level](line)),
    });
    this.log.log(`worker started (${concurrency} jobs at a time)`);
  }

  /** Lets jobs in progress finish (graphile-worker's graceful shutdown), then closes its connections. */
  async onModuleDestroy(): Promise<void> {
    const runner = this.runner;
    this.runner = undefined;
    await runner?.stop().catch((e: Error) => this.log.warn(`worker stop: ${e.message}`));
    await this.pool?.end().catch(() => undefined);
    this.pool = undefined;
  }
}
