import type { INestApplication } from '@nestjs/common';
import { DatabaseService } from '../database/database.service';

export interface Statement {
  sql: string;
  params: unknown[];
  /** the query runner (connection) that sent it: a transaction's statements share one */
  runner: unknown;
}

/**
 * Records every statement the application sends (through TypeORM's logger,
 * which each query passes whether or not logging is on), so a test can
 * look at the SQL a request really ran: its plan, its text.
 */
export function captureSql(app: INestApplication) {
  const logger = app.get(DatabaseService).dataSource.logger;
  const original = logger.logQuery.bind(logger);
  let seen: Statement[] = [];
  logger.logQuery = (sql, params, runner) => {
    seen.push({ sql, params: Array.isArray(params) ? params : [], runner });
    return original(sql, params, runner);
  };
  return {
    /** the statements sent since the last call */
    take(): Statement[] {
      const out = seen;
      seen = [];
      return out;
    },
    stop(): void {
      logger.logQuery = original;
    },
  };
}
