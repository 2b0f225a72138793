import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatTableModule } from '@angular/material/table';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import { CAMPAIGN_STATUSES, Campaign, CampaignStatus } from '@acc/contracts';
import { AgentDirectory } from '../../core/agent-directory';
import { CampaignsApi } from '../../core/api/campaigns.api';
import { AuthStore } from '../../core/auth.store';
import { Icon } from '../../shared/icon';
import { KeysetList } from '../../shared/keyset-list';
import { HumanizePipe, WhenPipe } from '../../shared/pipes';
import { Empty, ErrorState, Loading } from '../../shared/states';
import { StatusChip } from '../../shared/status-chip';
import { describeSchedule, doneShare } from './campaign-format';

const isStatus = (v: string | null): v is CampaignStatus =>
  !!v && (CAMPAIGN_STATUSES as readonly string[]).includes(v);

/** The status filter lives in the URL, like the other lists. */
@Component({
  selector: 'app-campaigns-list-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
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
  templateUrl: './campaigns-list.page.html',
})
export class CampaignsListPage {
  private readonly api = inject(CampaignsApi);
  private readonly route = inject(ActivatedRoute);
  protected readonly router = inject(Router);
  protected readonly auth = inject(AuthStore);
  protected readonly directory = inject(AgentDirectory);
  protected readonly statuses = CAMPAIGN_STATUSES;
  protected readonly describeSchedule = describeSchedule;
  protected readonly doneShare = doneShare;
  protected readonly status = new FormControl<CampaignStatus | ''>('', { nonNullable: true });
  protected readonly columns = ['name', 'status', 'progress', 'agent', 'schedule', 'created'];

  protected readonly list = new KeysetList<Campaign>((cursor) =>
    this.api.list({ status: this.status.value, cursor }),
  );

  constructor() {
    this.directory.ensure();
    this.status.valueChanges.pipe(takeUntilDestroyed()).subscribe(
      (status) =>
        void this.router.navigate([], {
          relativeTo: this.route,
          queryParams: { status: status || null },
          replaceUrl: true,
        }),
    );
    this.route.queryParamMap.pipe(takeUntilDestroyed()).subscribe((p) => {
      const status = p.get('status');
      this.status.setValue(isStatus(status) ? status : '', { emitEvent: false });
      this.list.reload();
    });
  }
}
