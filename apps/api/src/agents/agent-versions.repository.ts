import { Injectable } from '@nestjs/common';
import {
  AGENT_VERSIONED_FIELDS,
  type AgentVersion,
  type AgentVersionAuthor,
  type AgentVersionChanges,
  type AgentVersionConfig,
  type AgentVersionDetail,
  type Page,
} from '@acc/contracts';
import { Db } from '../tenancy/db.service';

interface VersionRow {
  version: number;
  createdAt: string;
  restoredFrom: number | null;
  current: boolean;
  createdBy: AgentVersionAuthor;
  config: AgentVersionConfig;
  previous: AgentVersionConfig | null;
}

/** field -> [previous, this] for each versioned field that differs; version 1 has none. */
export function versionChanges(
  previous: AgentVersionConfig | null,
  config: AgentVersionConfig,
): AgentVersionChanges {
  const changes: AgentVersionChanges = {};
  if (!previous) return changes;
  for (const f of AGENT_VERSIONED_FIELDS) {
    // jsonb orders object keys one way, so equal values print equally
    if (JSON.stringify(previous[f]) !== JSON.stringify(config[f]))
      changes[f] = [previous[f] ?? null, config[f] ?? null];
  }
  return changes;
}

/**
 * agent_versions (migration 014). The rows are written by the database's
 * triggers on agents; the API only reads them and adds who (an API key) and
 * why (a restore) in the transaction that made the version.
 */
@Injectable()
export class AgentVersionsRepository {
  constructor(private readonly db: Db) {}

  /** The versions with the one before each (lag), newest first. */
  private async rows(agentId: string, where: string, params: unknown[], limit: number) {
    return this.db.query<VersionRow>(
      `SELECT * FROM (
         SELECT v.version, v.created_at AS "createdAt", v.restored_from AS "restoredFrom",
                v.version = a.version AS current, v.config,
                lag(v.config) OVER (ORDER BY v.version) AS previous,
                CASE WHEN u.id IS NOT NULL THEN json_build_object('type', 'user', 'id', u.id, 'name', u.full_name)
                     WHEN k.id IS NOT NULL THEN json_build_object('type', 'api_key', 'id', k.id, 'name', k.name)
                     ELSE json_build_object('type', 'system', 'id', NULL, 'name', NULL)
                END AS "createdBy"
           FROM agent_versions v
           JOIN agents a ON a.tenant_id = v.tenant_id AND a.id = v.agent_id
           LEFT JOIN users u ON u.id = v.created_by
           LEFT JOIN api_keys k ON k.tenant_id = v.tenant_id AND k.id = v.created_by_key
          WHERE v.tenant_id = $1 AND v.agent_id = $2 ${where}
       ) x ORDER BY version DESC LIMIT ${Number(limit)}`,
      [this.db.tenantId(), agentId, ...params],
    );
  }

  async page(agentId: string, before: number | null, limit: number): Promise<Page<AgentVersion>> {
    const rows = await this.rows(
      agentId,
      before === null ? '' : 'AND v.version < $3',
      before === null ? [] : [before],
      limit + 1,
    );
    const data = rows.slice(0, limit).map(({ config, previous, ...v }) => ({
      ...v,
      changes: versionChanges(previous, config),
    }));
    const more = rows.length > limit;
    return { data, nextCursor: more ? String(data[data.length - 1].version) : null };
  }

  async find(agentId: string, version: number): Promise<AgentVersionDetail | undefined> {
    // the one before is read too: the window sees both rows
    const [row] = await this.rows(agentId, 'AND v.version IN ($3, $3 - 1)', [version], 2);
    if (!row || row.version !== version) return undefined;
    const { previous, ...v } = row;
    return { ...v, changes: versionChanges(previous, v.config) };
  }

  /**
   * Who and why, on the version this transaction made (created_at is the
   * transaction's start): nothing when the change made no version.
   */
  async annotate(
    agentId: string,
    version: number,
    note: { apiKeyId?: string; restoredFrom?: number },
  ): Promise<void> {
    if (note.apiKeyId === undefined && note.restoredFrom === undefined) return;
    await this.db.execute(
      `UPDATE agent_versions
          SET created_by_key = coalesce($4, created_by_key),
              restored_from = coalesce($5, restored_from)
        WHERE tenant_id = $1 AND agent_id = $2 AND version = $3 AND created_at = now()`,
      [this.db.tenantId(), agentId, version, note.apiKeyId ?? null, note.restoredFrom ?? null],
    );
  }
}
