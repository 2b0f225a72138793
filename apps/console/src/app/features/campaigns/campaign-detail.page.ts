import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatTableModule } from '@angular/material/table';
import { RouterLink } from '@angular/router';
import { CAMPAIGN_LEAD_STATES, Campaign, CampaignLead, CampaignLeadState } from '@acc/contracts';
import { interval } from 'rxjs';
import { AgentDirectory } from '../../core/agent-directory';
import { CampaignAction, CampaignsApi } from '../../core/api/campaigns.api';
import { apiErrorMessage, isNotFound } from '../../core/api-error';
import { AuthStore } from '../../core/auth.store';
import { Notifier } from '../../core/notifier';
import { Confirm } from '../../shared/confirm-dialog';
import { leadName } from '../../shared/format';
import { Icon } from '../../shared/icon';
import { KeysetList } from '../../shared/keyset-list';
import { HumanizePipe, PhonePipe, WhenPipe } from '../../shared/pipes';
import { Empty, ErrorState, Loading } from '../../shared/states';
import { StatusChip } from '../../shared/status-chip';
import { describeSchedule, doneShare } from './campaign-format';

/** How often a running campaign's page reads its progress again. */
const REFRESH_MS = 2_000;

const PAST: Record<CampaignAction, string> = {
  start: 'started',
  pause: 'paused',
  resume: 'resumed',
  cancel: 'cancelled',
};

@Component({
  selector: 'app-campaign-detail-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    PhonePipe,
    ReactiveFormsModule,
    RouterLink,
    MatButtonModule,
    MatFormFieldModule,
    MatSelectModule,
    MatTableModule,
    MatProgressBarModule,
    Icon,
    StatusChip,
    Loading,
    Empty,
    ErrorState,
    WhenPipe,
    HumanizePipe,
  ],
  templateUrl: './campaign-detail.page.html',
  styleUrl: './campaign-detail.page.scss',
})
export class CampaignDetailPage {
  readonly id = input.required<string>();

  private readonly api = inject(CampaignsApi);
  private readonly notifier = inject(Notifier);
  private readonly confirm = inject(Confirm);
  protected readonly auth = inject(AuthStore);
  protected readonly directory = inject(AgentDirectory);
  protected readonly leadName = leadName;
  protected readonly describeSchedule = describeSchedule;
  protected readonly doneShare = doneShare;
  protected readonly states = CAMPAIGN_LEAD_STATES;

  protected readonly campaign = signal<Campaign | null>(null);
  protected readonly loading = signal(true);
  protected readonly error = signal('');
  protected readonly notFound = signal(false);
  protected readonly busy = signal(false);
  protected readonly state = new FormControl<CampaignLeadState | ''>('', { nonNullable: true });
  protected readonly columns = ['lead', 'state', 'attempts', 'lastCall', 'next', 'reason'];
  protected readonly skippedBy = computed(() =>
    Object.entries(this.campaign()?.progress.skippedBy ?? {}),
  );
  protected readonly leads = new KeysetList<CampaignLead>((cursor) =>
    this.api.leads(this.id(), { state: this.state.value, cursor }),
  );

  constructor() {
    this.directory.ensure();
    queueMicrotask(() => this.load());
    this.state.valueChanges.pipe(takeUntilDestroyed()).subscribe(() => this.leads.reload());
    // while it runs, progress and lead states change on their own
    interval(REFRESH_MS)
      .pipe(takeUntilDestroyed())
      .subscribe(() => {
        if (this.campaign()?.status === 'running') this.refresh();
      });
  }

  load(): void {
    this.loading.set(true);
    this.error.set('');
    this.notFound.set(false);
    this.api.get(this.id()).subscribe({
      next: (c) => {
        this.campaign.set(c);
        this.loading.set(false);
        this.leads.reload();
      },
      error: (e: unknown) => {
        if (isNotFound(e)) this.notFound.set(true);
        else this.error.set(apiErrorMessage(e));
        this.loading.set(false);
      },
    });
  }

  private refresh(): void {
    this.api.get(this.id()).subscribe({
      next: (c) => {
        this.campaign.set(c);
        if (!this.leads.loadingMore()) this.leads.reload();
      },
    });
  }

  protected act(action: CampaignAction): void {
    const c = this.campaign();
    if (!c) return;
    const run = () => {
      this.busy.set(true);
      this.api.act(c.id, action).subscribe({
        next: (updated) => {
          this.busy.set(false);
          this.campaign.set(updated);
          this.leads.reload();
          this.notifier.success(`${updated.name} ${PAST[action]}`);
        },
        error: () => this.busy.set(false),
      });
    };
    if (action !== 'cancel') return run();
    this.confirm
      .ask({
        title: `Cancel ${c.name}?`,
        message:
          'Leads not yet called are skipped; calls in progress finish. It cannot be restarted.',
        confirmText: 'Cancel campaign',
        danger: true,
      })
      .subscribe((ok) => ok && run());
  }
}
