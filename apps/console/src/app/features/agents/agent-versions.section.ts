import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  input,
  output,
  signal,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import type { Agent, AgentVersion, AgentVersionedField, CallStats } from '@acc/contracts';
import { forkJoin } from 'rxjs';
import { AgentsApi } from '../../core/api/agents.api';
import { CallsApi } from '../../core/api/calls.api';
import { apiErrorMessage } from '../../core/api-error';
import { AuthStore } from '../../core/auth.store';
import { Notifier } from '../../core/notifier';
import { Confirm } from '../../shared/confirm-dialog';
import { humanize } from '../../shared/status-chip';
import { DurationPipe, HumanizePipe, MoneyPipe, PercentPipe, WhenPipe } from '../../shared/pipes';

type VersionStats = NonNullable<CallStats['byAgentVersion']>[number];

/** The figures of a year back: the longest range the stats answer. */
const STATS_DAYS = 365;

/** The versioned fields in the form's words. */
export const FIELD_LABELS: Record<AgentVersionedField, string> = {
  language: 'Language',
  voice: 'Voice',
  llmProvider: 'LLM provider',
  llmModel: 'Model',
  temperature: 'Temperature',
  systemPrompt: 'System prompt',
  firstMessage: 'First message',
  maxCallSeconds: 'Max call length (s)',
  silenceTimeoutSeconds: 'Silence timeout (s)',
  voicemailBehavior: 'On voicemail',
  voicemailMessage: 'Voicemail message',
  transferDestinations: 'Transfer destinations',
  dispositionCodes: 'Disposition codes',
};
const label = (field: string) => FIELD_LABELS[field as AgentVersionedField] ?? humanize(field);

/** A value of a version's configuration as text for the diff. */
export function shown(v: unknown): string {
  if (v === null || v === undefined || v === '') return '(empty)';
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v.join(', ') || '(none)';
  if (Array.isArray(v) && v.length === 0) return '(none)';
  return JSON.stringify(v, null, 2);
}

/**
 * An agent's versions (issue 16): each saved change of behaviour, who made
 * it and what changed, side by side with the version before; Restore makes
 * an older version's configuration the agent's again; and each version's
 * calls, connect rate, average duration and cost, to see whether a change helped.
 */
@Component({
  selector: 'app-agent-versions',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButtonModule, WhenPipe, HumanizePipe, PercentPipe, DurationPipe, MoneyPipe],
  templateUrl: './agent-versions.section.html',
  styleUrl: './agent-versions.section.scss',
})
export class AgentVersionsSection {
  /** The agent as last loaded or saved: a new version number reloads the list. */
  readonly agent = input.required<Agent>();
  /** Emitted after a restore, with the agent's new version number. */
  readonly restored = output<number>();

  private readonly api = inject(AgentsApi);
  private readonly calls = inject(CallsApi);
  private readonly notifier = inject(Notifier);
  private readonly confirm = inject(Confirm);
  protected readonly auth = inject(AuthStore);

  protected readonly versions = signal<AgentVersion[]>([]);
  protected readonly stats = signal<VersionStats[]>([]);
  protected readonly error = signal('');
  protected readonly selected = signal<number | null>(null);
  protected readonly restoring = signal(false);
  protected readonly shown = shown;

  /** The selected version (else the newest) with its changes as before/after rows. */
  protected readonly diff = computed(() => {
    const all = this.versions();
    const v = all.find((x) => x.version === this.selected()) ?? all[0];
    if (!v) return null;
    return {
      version: v,
      rows: Object.entries(v.changes).map(([field, [before, after]]) => ({
        field: label(field),
        before: shown(before),
        after: shown(after),
      })),
    };
  });

  /** Every version with its figures (a version without calls in the year shows dashes). */
  protected readonly comparison = computed(() => {
    const byVersion = new Map(this.stats().map((s) => [s.version, s]));
    return this.versions().map((v) => ({ v, s: byVersion.get(v.version) ?? null }));
  });

  private loadedFor = '';

  constructor() {
    effect(() => {
      const a = this.agent();
      const key = `${a.id}:${a.version}`;
      if (key === this.loadedFor) return;
      this.loadedFor = key;
      this.load(a.id);
    });
  }

  load(id = this.agent().id): void {
    this.error.set('');
    const to = new Date();
    const from = new Date(to.getTime() - STATS_DAYS * 86_400_000);
    forkJoin({
      versions: this.api.versions(id),
      stats: this.calls.stats(from.toISOString(), to.toISOString(), {
        agentId: id,
        groupBy: 'agentVersion',
      }),
    }).subscribe({
      next: ({ versions, stats }) => {
        this.versions.set(versions);
        this.stats.set(stats.byAgentVersion ?? []);
        if (!versions.some((v) => v.version === this.selected())) this.selected.set(null);
      },
      error: (e: unknown) => this.error.set(apiErrorMessage(e)),
    });
  }

  protected changedFields(v: AgentVersion): string {
    const fields = Object.keys(v.changes).map(label);
    return fields.length ? fields.join(', ') : 'No change';
  }

  protected select(v: AgentVersion): void {
    this.selected.set(v.version);
  }

  protected restore(v: AgentVersion): void {
    if (this.restoring()) return;
    const a = this.agent();
    this.confirm
      .ask({
        title: `Restore version ${v.version}?`,
        message: `${a.name} takes version ${v.version}'s prompt and settings again, saved as a new version. Calls already placed keep the version they ran with.`,
        confirmText: 'Restore',
      })
      .subscribe((ok) => {
        if (!ok) return;
        this.restoring.set(true);
        this.api.restoreVersion(a.id, v.version).subscribe({
          next: (created) => {
            this.restoring.set(false);
            this.notifier.success(`Version ${v.version} restored as version ${created.version}`);
            this.selected.set(created.version);
            this.restored.emit(created.version);
          },
          error: () => this.restoring.set(false),
        });
      });
  }
}
