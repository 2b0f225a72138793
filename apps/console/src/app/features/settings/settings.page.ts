import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import {
  FormControl,
  FormGroup,
  NonNullableFormBuilder,
  ReactiveFormsModule,
} from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import {
  Domain,
  Tenant,
  TenantConfig,
  TenantConfigFields,
  TimeZone,
  UpdateTenantConfigRequest,
  UpdateTenantRequest,
  text,
} from '@acc/contracts';
import { forkJoin, map, startWith } from 'rxjs';
import { AgentDirectory } from '../../core/agent-directory';
import { RouterLink } from '@angular/router';
import { Icon } from '../../shared/icon';
import { ApiKeysSection } from './api-keys.section';
import { DialerSection } from './dialer.section';
import { DncSection } from './dnc.section';
import { IntegrationsSection } from './integrations.section';
import { TenantsApi } from '../../core/api/tenants.api';
import { apiErrorMessage } from '../../core/api-error';
import { AuthStore } from '../../core/auth.store';
import { Notifier } from '../../core/notifier';
import { trackUnsavedChanges } from '../../core/unsaved-changes';
import { FormErrors } from '../../shared/form-errors';
import { WhenPipe } from '../../shared/pipes';
import { WorkspaceZone } from '../../core/workspace-zone';
import { ErrorState, Loading } from '../../shared/states';
import {
  applyServerErrors,
  fieldError,
  firstInvalidFocuser,
  nullIfBlank,
  parseInto,
  zodValidator,
} from '../../shared/zod-forms';

const C = TenantConfigFields.shape;
/** The contracts word these for developers ("must be HH:MM (24 h)"): the form's own words. */
const TIME_WORDING = 'Enter a time such as 09:00';
const ZONE_WORDING = 'Choose a time zone from the list, such as Europe/Paris';

export const WEEKDAY_LABELS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** A form's whole value as a signal, to compare with the loaded one. */
function formValue<T>(form: FormGroup & { getRawValue(): T }) {
  return toSignal(
    form.valueChanges.pipe(
      startWith(null),
      map(() => form.getRawValue()),
    ),
    {
      requireSync: true,
    },
  );
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function timeZones(): string[] {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return ['UTC'];
  }
}

@Component({
  selector: 'app-settings-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ReactiveFormsModule,
    FormErrors,
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    MatSlideToggleModule,
    Loading,
    ErrorState,
    WhenPipe,
    ApiKeysSection,
    DncSection,
    DialerSection,
    IntegrationsSection,
    RouterLink,
    Icon,
  ],
  templateUrl: './settings.page.html',
  styleUrl: './settings.page.scss',
})
export class SettingsPage {
  private readonly api = inject(TenantsApi);
  private readonly fb = inject(NonNullableFormBuilder);
  private readonly notifier = inject(Notifier);
  private readonly workspaceZone = inject(WorkspaceZone);
  protected readonly auth = inject(AuthStore);
  protected readonly directory = inject(AgentDirectory);

  protected readonly zones = timeZones();
  protected readonly weekdays = WEEKDAY_LABELS.map((label, i) => ({ label, value: i + 1 }));
  protected readonly tenant = signal<Tenant | null>(null);
  protected readonly config = signal<TenantConfig | null>(null);
  protected readonly auditDays = computed(() => this.config()?.auditRetentionDays ?? 365);
  protected readonly loading = signal(true);
  protected readonly error = signal('');
  protected readonly savingTenant = signal(false);
  protected readonly savingConfig = signal(false);
  protected readonly configErrors = signal<string[]>([]);
  protected readonly tenantErrors = signal<string[]>([]);
  private readonly focusFirstInvalid = firstInvalidFocuser();

  protected readonly tenantForm = this.fb.group({
    name: ['', zodValidator(text(100))],
    domain: ['', zodValidator(Domain.nullable())],
  });

  protected readonly configForm = this.fb.group({
    timezone: ['UTC', zodValidator(TimeZone, ZONE_WORDING)],
    callingWindowStart: ['09:00', zodValidator(C.callingWindowStart, TIME_WORDING)],
    callingWindowEnd: ['18:00', zodValidator(C.callingWindowEnd, TIME_WORDING)],
    // The contract allows no day at all (calling paused); saved by mistake, it silently stops
    // every call, so the form asks for one.
    callingDays: this.fb.control<number[]>(
      [1, 2, 3, 4, 5],
      zodValidator(C.callingDays.min(1), 'Choose at least one calling day'),
    ),
    defaultAgentId: [''],
    maxConcurrentCalls: this.fb.control<number>(5, zodValidator(C.maxConcurrentCalls)),
    recordingEnabled: [true],
  });

  /**
   * The values as loaded (or last saved). Save and Discard depend on a difference from them,
   * not on `dirty`: undoing an edit (5 -> 6 -> 5, a day ticked then unticked) is no change.
   */
  private readonly loadedTenant = signal<unknown>(null);
  private readonly loadedConfig = signal<unknown>(null);
  private readonly tenantValue = formValue(this.tenantForm);
  private readonly configValue = formValue(this.configForm);
  protected readonly tenantChanged = computed(() => !same(this.tenantValue(), this.loadedTenant()));
  protected readonly configChanged = computed(() => !same(this.configValue(), this.loadedConfig()));

  constructor() {
    trackUnsavedChanges(() => this.hasUnsavedChanges());
    this.directory.ensure();
    this.load();
  }

  load(): void {
    this.loading.set(true);
    this.error.set('');
    forkJoin([this.api.current(), this.api.getConfig()]).subscribe({
      next: ([tenant, config]) => {
        this.fillTenant(tenant);
        this.fillConfig(config);
        this.loading.set(false);
      },
      error: (e: unknown) => {
        this.error.set(apiErrorMessage(e));
        this.loading.set(false);
      },
    });
  }

  private fillTenant(t: Tenant): void {
    this.tenant.set(t);
    this.tenantForm.reset({ name: t.name, domain: t.domain ?? '' });
    this.loadedTenant.set(this.tenantForm.getRawValue());
  }

  private fillConfig(c: TenantConfig): void {
    this.config.set(c);
    this.configForm.reset({
      timezone: c.timezone,
      callingWindowStart: c.callingWindowStart,
      callingWindowEnd: c.callingWindowEnd,
      callingDays: [...c.callingDays].sort((a, b) => a - b),
      defaultAgentId: c.defaultAgentId ?? '',
      maxConcurrentCalls: c.maxConcurrentCalls,
      recordingEnabled: c.recordingEnabled,
    });
    this.configErrors.set([]);
    this.loadedConfig.set(this.configForm.getRawValue());
  }

  hasUnsavedChanges(): boolean {
    return !this.loading() && !this.error() && (this.tenantChanged() || this.configChanged());
  }

  protected discardTenant(): void {
    const t = this.tenant();
    if (t) this.fillTenant(t);
  }

  protected discardConfig(): void {
    const c = this.config();
    if (c) this.fillConfig(c);
  }

  protected err(control: FormControl<unknown>): string {
    return fieldError(control);
  }

  protected hasDay(day: number): boolean {
    return this.configForm.controls.callingDays.value.includes(day);
  }

  protected toggleDay(day: number, on: boolean): void {
    const c = this.configForm.controls.callingDays;
    const days = new Set(c.value);
    if (on) days.add(day);
    else days.delete(day);
    c.setValue([...days].sort((a, b) => a - b));
    c.markAsDirty();
  }

  saveTenant(): void {
    const v = this.tenantForm.getRawValue();
    const parsed = parseInto(
      UpdateTenantRequest,
      { name: v.name, domain: nullIfBlank(v.domain) },
      this.tenantForm,
    );
    this.tenantErrors.set([]);
    if (!parsed.ok) this.focusFirstInvalid();
    if (!parsed.ok || this.savingTenant()) return;
    this.savingTenant.set(true);
    this.api.update(parsed.data).subscribe({
      next: (t) => {
        this.savingTenant.set(false);
        this.fillTenant(t);
        this.auth.updateTenant(t);
        this.notifier.success('Workspace saved');
      },
      error: (e: unknown) => {
        this.savingTenant.set(false);
        this.tenantErrors.set(
          applyServerErrors(e, this.tenantForm, { 'domain is already used': 'domain' }),
        );
        this.focusFirstInvalid();
      },
    });
  }

  configBody(): Record<string, unknown> {
    const v = this.configForm.getRawValue();
    return {
      ...v,
      maxConcurrentCalls: Number(v.maxConcurrentCalls),
      defaultAgentId: v.defaultAgentId || null,
      settings: this.config()?.settings ?? {},
    };
  }

  saveConfig(): void {
    this.configErrors.set([]);
    if (this.configForm.controls.callingDays.invalid) {
      this.focusFirstInvalid();
      return;
    }
    const parsed = parseInto(UpdateTenantConfigRequest, this.configBody(), this.configForm, {
      callingWindowEnd: 'Must be after the start',
    });
    if (!parsed.ok) {
      this.configErrors.set(parsed.formErrors);
      this.focusFirstInvalid();
      return;
    }
    if (this.savingConfig()) return;
    this.savingConfig.set(true);
    this.api.putConfig(parsed.data).subscribe({
      next: (c) => {
        this.savingConfig.set(false);
        this.fillConfig(c);
        this.workspaceZone.set(c.timezone);
        this.notifier.success('Settings saved');
      },
      error: (e: unknown) => {
        this.savingConfig.set(false);
        this.configErrors.set(applyServerErrors(e, this.configForm));
        this.focusFirstInvalid();
      },
    });
  }
}
