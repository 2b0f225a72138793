import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormControl, NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { Router, RouterLink } from '@angular/router';
import {
  CreateCampaignRequest,
  DEFAULT_RETRY,
  LEAD_STATUSES,
  LeadStatus,
  RETRY_OUTCOMES,
  RetryOutcome,
  WEEKDAY_NAMES,
  WeekdayName,
  text,
  weekdayName,
} from '@acc/contracts';
import { AgentDirectory } from '../../core/agent-directory';
import { CampaignsApi } from '../../core/api/campaigns.api';
import { TenantsApi } from '../../core/api/tenants.api';
import { apiErrorMessages } from '../../core/api-error';
import { Notifier } from '../../core/notifier';
import { trackUnsavedChanges } from '../../core/unsaved-changes';
import { FormErrors } from '../../shared/form-errors';
import { Icon } from '../../shared/icon';
import { HumanizePipe } from '../../shared/pipes';
import { fieldError, zodValidator } from '../../shared/zod-forms';

const LABELS: Record<WeekdayName, string> = {
  mon: 'Mon',
  tue: 'Tue',
  wed: 'Wed',
  thu: 'Thu',
  fri: 'Fri',
  sat: 'Sat',
  sun: 'Sun',
};

function timeZones(): string[] {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return ['UTC'];
  }
}

/**
 * A new campaign: the agent, which leads (tags and a status), when (days, window, whose clock),
 * how many at once, and retries. Days and window start as the workspace's calling settings.
 */
@Component({
  selector: 'app-campaign-form-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ReactiveFormsModule,
    RouterLink,
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    FormErrors,
    Icon,
    HumanizePipe,
  ],
  templateUrl: './campaign-form.page.html',
  styleUrl: './campaign-form.page.scss',
})
export class CampaignFormPage {
  private readonly api = inject(CampaignsApi);
  private readonly tenants = inject(TenantsApi);
  private readonly fb = inject(NonNullableFormBuilder);
  private readonly router = inject(Router);
  private readonly notifier = inject(Notifier);
  protected readonly directory = inject(AgentDirectory);

  protected readonly weekdays = WEEKDAY_NAMES.map((value) => ({ value, label: LABELS[value] }));
  protected readonly leadStatuses = LEAD_STATUSES;
  protected readonly outcomes = RETRY_OUTCOMES;
  protected readonly zones = timeZones();
  protected readonly workspaceZone = signal('');
  protected readonly saving = signal(false);
  protected readonly errors = signal<string[]>([]);
  private saved = false;

  protected readonly form = this.fb.group({
    name: ['', zodValidator(text(100))],
    agentId: ['', zodValidator(text(100), 'Choose an agent')],
    tags: [''],
    status: this.fb.control<LeadStatus | ''>(''),
    days: this.fb.control<WeekdayName[]>(['mon', 'tue', 'wed', 'thu', 'fri']),
    windowStart: ['09:00'],
    windowEnd: ['18:00'],
    zoneMode: this.fb.control<'lead' | 'fixed'>('lead'),
    timezone: [''],
    maxConcurrentCalls: this.fb.control<number | null>(null),
    maxAttempts: this.fb.control<number>(DEFAULT_RETRY.maxAttempts),
    retryOutcomes: this.fb.control<RetryOutcome[]>([...DEFAULT_RETRY.outcomes]),
    delayMinutes: this.fb.control<number>(DEFAULT_RETRY.delayMinutes),
  });

  constructor() {
    trackUnsavedChanges(() => this.form.dirty && !this.saved);
    this.directory.ensure();
    this.tenants.getConfig().subscribe((c) => {
      this.workspaceZone.set(c.timezone);
      this.form.patchValue({
        agentId: c.defaultAgentId ?? '',
        days: c.callingDays.map(weekdayName),
        windowStart: c.callingWindowStart,
        windowEnd: c.callingWindowEnd,
      });
    });
  }

  protected err(control: FormControl<unknown>): string {
    return fieldError(control);
  }

  protected hasDay(d: WeekdayName): boolean {
    return this.form.controls.days.value.includes(d);
  }

  protected toggleDay(d: WeekdayName, on: boolean): void {
    const days = this.form.controls.days.value.filter((x) => x !== d);
    this.form.controls.days.setValue(
      on ? WEEKDAY_NAMES.filter((x) => x === d || days.includes(x)) : days,
    );
    this.form.markAsDirty();
  }

  protected hasOutcome(o: RetryOutcome): boolean {
    return this.form.controls.retryOutcomes.value.includes(o);
  }

  protected toggleOutcome(o: RetryOutcome, on: boolean): void {
    const rest = this.form.controls.retryOutcomes.value.filter((x) => x !== o);
    this.form.controls.retryOutcomes.setValue(on ? [...rest, o] : rest);
    this.form.markAsDirty();
  }

  /** The request, checked by the contract the API applies; its complaints shown above the form. */
  protected submit(): void {
    this.form.markAllAsTouched();
    const v = this.form.getRawValue();
    const tags = v.tags
      .split(/[,;]/)
      .map((t) => t.trim())
      .filter(Boolean);
    const parsed = CreateCampaignRequest.safeParse({
      name: v.name,
      agentId: v.agentId || undefined,
      leads: { ...(tags.length && { tags }), ...(v.status && { status: v.status }) },
      schedule: {
        days: v.days,
        window: { start: v.windowStart, end: v.windowEnd },
        timezone: v.zoneMode === 'lead' ? 'lead' : v.timezone,
      },
      maxConcurrentCalls: v.maxConcurrentCalls || null,
      retry: {
        maxAttempts: v.maxAttempts,
        outcomes: v.retryOutcomes,
        delayMinutes: v.delayMinutes,
      },
    });
    if (!parsed.success) {
      this.errors.set(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
      return;
    }
    this.errors.set([]);
    this.saving.set(true);
    this.api.create(parsed.data).subscribe({
      next: (c) => {
        this.saved = true;
        this.notifier.success(`${c.name} created: start it when you are ready`);
        void this.router.navigate(['/campaigns', c.id]);
      },
      error: (e: unknown) => {
        this.saving.set(false);
        this.errors.set(apiErrorMessages(e));
      },
    });
  }
}
