import { AuditHistory } from '../settings/audit-history';
import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { KeyValuePipe } from '@angular/common';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { Router, RouterLink } from '@angular/router';
import type { CallSummary, Eligibility, Lead } from '@acc/contracts';
import { CampaignsApi } from '../../core/api/campaigns.api';
import { AgentDirectory } from '../../core/agent-directory';
import { CallsApi } from '../../core/api/calls.api';
import { LeadsApi } from '../../core/api/leads.api';
import { apiErrorMessage, apiErrorMessages, isNotFound } from '../../core/api-error';
import { AuthStore } from '../../core/auth.store';
import { Notifier } from '../../core/notifier';
import { PageTitle } from '../../core/title-strategy';
import { FORM_DIALOG } from '../../core/unsaved-changes';
import { Confirm } from '../../shared/confirm-dialog';
import { leadName } from '../../shared/format';
import { Icon } from '../../shared/icon';
import { KeysetList } from '../../shared/keyset-list';
import { PhonePipe, WhenPipe } from '../../shared/pipes';
import { Empty, ErrorState, Loading } from '../../shared/states';
import { StatusChip } from '../../shared/status-chip';
import { CallsTable } from '../calls/calls-table';
import { fieldText } from './custom-fields';
import { LeadFormDialog } from './lead-form.dialog';

@Component({
  selector: 'app-lead-detail-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    AuditHistory,
    PhonePipe,
    RouterLink,
    KeyValuePipe,
    MatButtonModule,
    Icon,
    StatusChip,
    Loading,
    Empty,
    ErrorState,
    WhenPipe,
    CallsTable,
  ],
  templateUrl: './lead-detail.page.html',
  styleUrl: './lead-detail.page.scss',
})
export class LeadDetailPage {
  readonly id = input.required<string>();

  private readonly api = inject(LeadsApi);
  private readonly callsApi = inject(CallsApi);
  private readonly campaignsApi = inject(CampaignsApi);
  private readonly dialog = inject(MatDialog);
  private readonly confirm = inject(Confirm);
  private readonly notifier = inject(Notifier);
  private readonly router = inject(Router);
  protected readonly auth = inject(AuthStore);
  protected readonly directory = inject(AgentDirectory);
  protected readonly leadName = leadName;
  protected readonly fieldText = fieldText;
  protected readonly zoneSource: Record<Eligibility['timezone']['source'], string> = {
    campaign: "campaign's time zone",
    lead: "lead's time zone",
    phone: "country of the lead's number",
    tenant: "workspace's time zone",
  };

  private readonly pageTitle = inject(PageTitle);
  protected readonly lead = signal<Lead | null>(null);
  protected readonly loading = signal(true);
  protected readonly error = signal('');
  /** No such record (or a malformed id): trying again would not help. */
  protected readonly notFound = signal(false);
  /** Whether the lead may be called now under the workspace's rules, and if not why. */
  protected readonly eligibility = signal<Eligibility | null>(null);
  protected readonly calls = new KeysetList<CallSummary>((cursor) =>
    this.callsApi.list({ leadId: this.id(), cursor }),
  );

  constructor() {
    this.directory.ensure();
    queueMicrotask(() => this.load());
  }

  load(): void {
    this.loading.set(true);
    this.error.set('');
    this.notFound.set(false);
    this.api.get(this.id()).subscribe({
      next: (l) => {
        this.lead.set(l);
        this.pageTitle.record(leadName(l));
        this.loading.set(false);
        this.calls.reload();
        this.checkEligibility();
      },
      error: (e: unknown) => {
        if (isNotFound(e)) this.notFound.set(true);
        else this.error.set(apiErrorMessage(e));
        this.loading.set(false);
      },
    });
  }

  protected readonly calling = signal(false);
  protected readonly callRefusal = signal<string[]>([]);

  /** "Call now": `anyway` (admin) calls outside the calling days and hours, never a do-not-call number. */
  protected callNow(anyway = false): void {
    this.calling.set(true);
    this.callRefusal.set([]);
    this.campaignsApi.callNow(this.id(), anyway ? { overrideWindow: true } : {}).subscribe({
      next: (call) => {
        this.calling.set(false);
        this.notifier.success(`Calling ${call.toNumber}`);
        this.calls.reload();
        this.checkEligibility();
      },
      error: (e: unknown) => {
        this.calling.set(false);
        this.callRefusal.set(apiErrorMessages(e));
      },
    });
  }

  protected checkEligibility(): void {
    this.campaignsApi.eligibility(this.id()).subscribe({
      next: (e) => this.eligibility.set(e),
      error: () => this.eligibility.set(null),
    });
  }

  protected edit(): void {
    this.dialog
      .open(LeadFormDialog, { ...FORM_DIALOG, data: this.lead(), width: '640px', maxWidth: '95vw' })
      .afterClosed()
      .subscribe((l?: Lead) => {
        if (!l) return;
        this.lead.set(l);
        this.pageTitle.record(leadName(l));
        this.checkEligibility();
        this.notifier.success('Lead saved');
      });
  }

  protected remove(): void {
    const l = this.lead();
    if (!l) return;
    this.confirm
      .ask({
        title: `Delete ${leadName(l)}?`,
        message: 'The lead is removed for good. Its past calls stay in the call log.',
        confirmText: 'Delete',
        danger: true,
      })
      .subscribe((ok) => {
        if (!ok) return;
        this.api.remove(l.id).subscribe(() => {
          this.notifier.success('Lead deleted');
          void this.router.navigate(['/leads']);
        });
      });
  }
}
