import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { RouterLink } from '@angular/router';
import type { Call, Lead } from '@acc/contracts';
import { AgentDirectory } from '../../core/agent-directory';
import { CallsApi } from '../../core/api/calls.api';
import { LeadsApi } from '../../core/api/leads.api';
import { PageTitle } from '../../core/title-strategy';
import { leadName } from '../../shared/format';
import { apiErrorMessage, isNotFound } from '../../core/api-error';
import { Icon } from '../../shared/icon';
import {
  DurationPipe,
  HumanizePipe,
  MoneyPipe,
  OffsetPipe,
  PhonePipe,
  WhenPipe,
} from '../../shared/pipes';
import { Empty, ErrorState, Loading } from '../../shared/states';
import { StatusChip } from '../../shared/status-chip';

/** Only http(s) recordings are linked or played (never javascript: or data: URLs). */
export function safeRecordingUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.toString() : null;
  } catch {
    return null;
  }
}

@Component({
  selector: 'app-call-detail-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    PhonePipe,
    RouterLink,
    MatButtonModule,
    Icon,
    StatusChip,
    Loading,
    Empty,
    ErrorState,
    DurationPipe,
    HumanizePipe,
    MoneyPipe,
    OffsetPipe,
    WhenPipe,
  ],
  templateUrl: './call-detail.page.html',
  styleUrl: './call-detail.page.scss',
})
export class CallDetailPage {
  readonly id = input.required<string>();
  private readonly api = inject(CallsApi);
  private readonly leadsApi = inject(LeadsApi);
  private readonly pageTitle = inject(PageTitle);
  protected readonly directory = inject(AgentDirectory);

  protected readonly call = signal<Call | null>(null);
  /** The call's lead, to name it (the call carries only its id). */
  protected readonly lead = signal<Lead | null>(null);
  protected readonly leadName = leadName;
  protected readonly loading = signal(true);
  protected readonly error = signal('');
  /** No such record (or a malformed id): trying again would not help. */
  protected readonly notFound = signal(false);
  protected readonly recording = computed(() => safeRecordingUrl(this.call()?.recordingUrl));
  protected readonly counterpart = computed(() => {
    const c = this.call();
    if (!c) return '';
    return c.direction === 'inbound' ? c.fromNumber : c.toNumber;
  });

  constructor() {
    this.directory.ensure();
    queueMicrotask(() => this.load());
  }

  /** A lead deleted since keeps its calls: the page then shows the number only. */
  private loadLead(id: string): void {
    this.leadsApi.get(id).subscribe({
      next: (l) => {
        this.lead.set(l);
        this.pageTitle.record(`Call with ${leadName(l)}`);
      },
      error: () => this.lead.set(null),
    });
  }

  load(): void {
    this.loading.set(true);
    this.error.set('');
    this.notFound.set(false);
    this.api.get(this.id()).subscribe({
      next: (c) => {
        this.call.set(c);
        this.loading.set(false);
        this.pageTitle.record(`${c.direction === 'inbound' ? 'From' : 'To'} ${this.counterpart()}`);
        if (c.leadId) this.loadLead(c.leadId);
      },
      error: (e: unknown) => {
        if (isNotFound(e)) this.notFound.set(true);
        else this.error.set(apiErrorMessage(e));
        this.loading.set(false);
      },
    });
  }
}
