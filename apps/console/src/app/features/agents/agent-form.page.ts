import { AuditHistory } from '../settings/audit-history';
import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import {
  FormArray,
  FormControl,
  FormGroup,
  NonNullableFormBuilder,
  ReactiveFormsModule,
} from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatRadioModule } from '@angular/material/radio';
import { MatSelectModule } from '@angular/material/select';
import { Router, RouterLink } from '@angular/router';
import {
  AGENT_DEFAULTS,
  AGENT_DIRECTIONS,
  Agent,
  AgentStatus,
  CreateAgentRequest,
  LLM_PROVIDERS,
  LanguageTag,
  TransferDestination,
  UpdateAgentRequest,
  VOICEMAIL_BEHAVIORS,
} from '@acc/contracts';
import { map, startWith } from 'rxjs';
import { AgentDirectory } from '../../core/agent-directory';
import { AgentVersionsSection } from './agent-versions.section';
import { AgentsApi } from '../../core/api/agents.api';
import { apiErrorMessage } from '../../core/api-error';
import { AuthStore } from '../../core/auth.store';
import { Notifier } from '../../core/notifier';
import { PageTitle } from '../../core/title-strategy';
import { FormBaseline, trackUnsavedChanges } from '../../core/unsaved-changes';
import { Confirm } from '../../shared/confirm-dialog';
import { FormErrors } from '../../shared/form-errors';
import { providerName } from '../../shared/format';
import { Icon } from '../../shared/icon';
import { HumanizePipe, WhenPipe } from '../../shared/pipes';
import { ErrorState, Loading } from '../../shared/states';
import { StatusChip } from '../../shared/status-chip';
import {
  applyServerErrors,
  fieldError,
  firstInvalidFocuser,
  nullIfBlank,
  parseInto,
  zodValidator,
} from '../../shared/zod-forms';

const F = CreateAgentRequest;

/** The contracts' refinement messages in words for this form (theirs name fields as code does). */
const REFINEMENTS = { voicemailMessage: 'Required when the agent leaves a voicemail' };

type TransferGroup = FormGroup<{ label: FormControl<string>; phone: FormControl<string> }>;

export const VOICE_SUGGESTIONS = ['alloy', 'echo', 'fable', 'onyx', 'nova', 'shimmer'];

@Component({
  selector: 'app-agent-form-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    AuditHistory,
    ReactiveFormsModule,
    FormErrors,
    RouterLink,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    MatRadioModule,
    Icon,
    StatusChip,
    Loading,
    ErrorState,
    HumanizePipe,
    WhenPipe,
    AgentVersionsSection,
  ],
  templateUrl: './agent-form.page.html',
  styleUrl: './agent-form.page.scss',
})
export class AgentFormPage {
  /** Route parameter; absent on /agents/new. */
  readonly id = input<string>();

  private readonly api = inject(AgentsApi);
  private readonly router = inject(Router);
  private readonly notifier = inject(Notifier);
  private readonly confirm = inject(Confirm);
  private readonly directory = inject(AgentDirectory);
  private readonly fb = inject(NonNullableFormBuilder);
  protected readonly auth = inject(AuthStore);

  private readonly pageTitle = inject(PageTitle);
  protected readonly providerName = providerName;
  protected readonly directions = AGENT_DIRECTIONS;
  protected readonly providers = LLM_PROVIDERS;
  protected readonly voicemailBehaviors = VOICEMAIL_BEHAVIORS;
  protected readonly voices = VOICE_SUGGESTIONS;

  protected readonly agent = signal<Agent | null>(null);
  protected readonly loading = signal(false);
  protected readonly loadError = signal('');
  protected readonly saving = signal(false);
  protected readonly formErrors = signal<string[]>([]);
  protected readonly isNew = computed(() => !this.id());
  protected readonly readOnly = computed(() => !this.auth.canWrite());

  protected readonly form = this.fb.group({
    name: ['', zodValidator(F.shape.name)],
    status: this.fb.control<AgentStatus>(AGENT_DEFAULTS.status),
    direction: this.fb.control<(typeof AGENT_DIRECTIONS)[number]>(AGENT_DEFAULTS.direction),
    systemPrompt: [AGENT_DEFAULTS.systemPrompt as string, zodValidator(F.shape.systemPrompt)],
    firstMessage: [AGENT_DEFAULTS.firstMessage as string, zodValidator(F.shape.firstMessage)],
    voice: [AGENT_DEFAULTS.voice as string, zodValidator(F.shape.voice)],
    language: [AGENT_DEFAULTS.language as string, zodValidator(LanguageTag)],
    llmProvider: this.fb.control<(typeof LLM_PROVIDERS)[number]>(AGENT_DEFAULTS.llmProvider),
    llmModel: [AGENT_DEFAULTS.llmModel as string, zodValidator(F.shape.llmModel)],
    temperature: this.fb.control<number>(
      AGENT_DEFAULTS.temperature,
      zodValidator(F.shape.temperature),
    ),
    maxCallSeconds: this.fb.control<number>(
      AGENT_DEFAULTS.maxCallSeconds,
      zodValidator(F.shape.maxCallSeconds),
    ),
    silenceTimeoutSeconds: this.fb.control<number>(
      AGENT_DEFAULTS.silenceTimeoutSeconds,
      zodValidator(F.shape.silenceTimeoutSeconds),
    ),
    dispositionCodes: [''],
    voicemailBehavior: this.fb.control<(typeof VOICEMAIL_BEHAVIORS)[number]>(
      AGENT_DEFAULTS.voicemailBehavior,
    ),
    voicemailMessage: [''],
    transferDestinations: this.fb.array<TransferGroup>([]),
  });

  private readonly focusFirstInvalid = firstInvalidFocuser();

  /** The form as loaded or last saved: what leaving would not lose. */
  private readonly baseline = new FormBaseline(this.form);

  protected readonly leavesMessage = toSignal(
    this.form.controls.voicemailBehavior.valueChanges.pipe(
      startWith(this.form.controls.voicemailBehavior.value),
      map((v) => v === 'leave_message'),
    ),
    { initialValue: false },
  );

  get transfers(): FormArray<TransferGroup> {
    return this.form.controls.transferDestinations;
  }

  constructor() {
    trackUnsavedChanges(() => this.hasUnsavedChanges());
    // The voicemail rule's error (set by save()) is moot once the behaviour changes.
    this.form.controls.voicemailBehavior.valueChanges
      .pipe(takeUntilDestroyed())
      .subscribe(() => this.form.controls.voicemailMessage.updateValueAndValidity());
    // Input binding happens after construction; wait a microtask for the id.
    queueMicrotask(() => this.init());
  }

  private init(): void {
    if (this.readOnly()) this.form.disable();
    const id = this.id();
    if (!id) return;
    this.loading.set(true);
    this.api.get(id).subscribe({
      next: (a) => {
        this.fill(a);
        this.loading.set(false);
      },
      error: (e: unknown) => {
        this.loadError.set(apiErrorMessage(e));
        this.loading.set(false);
      },
    });
  }

  load(): void {
    this.loadError.set('');
    this.init();
  }

  /** A restored version is the agent's configuration now: the form shows it. */
  protected reloadAfterRestore(): void {
    const id = this.id();
    if (id) this.api.get(id).subscribe((a) => this.fill(a));
  }

  private fill(a: Agent): void {
    this.agent.set(a);
    this.pageTitle.record(a.name);
    this.transfers.clear();
    for (const t of a.transferDestinations) this.addTransfer(t.label, t.phone);
    this.form.patchValue({
      name: a.name,
      status: a.status,
      direction: a.direction,
      systemPrompt: a.systemPrompt,
      firstMessage: a.firstMessage,
      voice: a.voice,
      language: a.language,
      llmProvider: a.llmProvider,
      llmModel: a.llmModel,
      temperature: a.temperature,
      maxCallSeconds: a.maxCallSeconds,
      silenceTimeoutSeconds: a.silenceTimeoutSeconds,
      dispositionCodes: a.dispositionCodes.join(', '),
      voicemailBehavior: a.voicemailBehavior,
      voicemailMessage: a.voicemailMessage ?? '',
    });
    if (this.readOnly()) this.form.disable();
    this.form.markAsPristine();
    this.baseline.mark();
  }

  hasUnsavedChanges(): boolean {
    return !this.readOnly() && !this.loading() && !this.loadError() && this.baseline.changed();
  }

  protected addTransfer(label = '', phone = ''): void {
    this.transfers.push(
      this.fb.group({
        label: [label, zodValidator(TransferDestination.shape.label)],
        phone: [phone, zodValidator(TransferDestination.shape.phone)],
      }),
    );
    this.form.markAsDirty();
  }

  protected removeTransfer(i: number): void {
    this.transfers.removeAt(i);
    this.form.markAsDirty();
  }

  protected err(path: string | (string | number)[]): string {
    return fieldError(this.form.get(path));
  }

  /** The form as the API's request body (before schema parsing). */
  body(): Record<string, unknown> {
    const v = this.form.getRawValue();
    return {
      ...v,
      temperature: Number(v.temperature),
      maxCallSeconds: Number(v.maxCallSeconds),
      silenceTimeoutSeconds: Number(v.silenceTimeoutSeconds),
      dispositionCodes: v.dispositionCodes
        .split(/[,\n]/)
        .map((c) => c.trim())
        .filter(Boolean),
      voicemailMessage: nullIfBlank(v.voicemailMessage),
      transferDestinations: v.transferDestinations.map((t) => ({
        label: t.label.trim(),
        phone: t.phone.trim(),
      })),
    };
  }

  save(): void {
    if (this.readOnly() || this.saving()) return;
    this.formErrors.set([]);
    // A field's own check (e.g. a cleared number) fails before body() could coerce it.
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      this.focusFirstInvalid();
      return;
    }
    const existing = this.agent();
    const parsed = existing
      ? parseInto(UpdateAgentRequest, this.body(), this.form, REFINEMENTS)
      : parseInto(CreateAgentRequest, this.body(), this.form, REFINEMENTS);
    // PATCH skips the create-time refinement; check the voicemail rule here too.
    if (parsed.ok && existing && this.leavesMessage() && !this.body()['voicemailMessage']) {
      this.form.controls.voicemailMessage.setErrors({ zod: REFINEMENTS.voicemailMessage });
      this.form.controls.voicemailMessage.markAsTouched();
      this.focusFirstInvalid();
      return;
    }
    if (!parsed.ok) {
      this.formErrors.set(parsed.formErrors);
      this.focusFirstInvalid();
      return;
    }
    this.saving.set(true);
    const req = existing
      ? this.api.update(existing.id, parsed.data as UpdateAgentRequest, { inline: true })
      : this.api.create(parsed.data as CreateAgentRequest);
    req.subscribe({
      next: (a) => {
        this.saving.set(false);
        this.directory.refresh();
        this.notifier.success(existing ? 'Agent saved' : `Agent ${a.name} created`);
        if (existing) {
          this.fill(a);
        } else {
          this.baseline.mark();
          void this.router.navigate(['/agents']);
        }
      },
      // The API's refusal on the fields it names, in the form's words; the rest above the form.
      error: (e: unknown) => {
        this.saving.set(false);
        this.formErrors.set(applyServerErrors(e, this.form));
        this.focusFirstInvalid();
      },
    });
  }

  protected setStatus(status: AgentStatus): void {
    const a = this.agent();
    if (!a) return;
    const run = () =>
      this.api.update(a.id, { status }).subscribe((updated) => {
        this.directory.refresh();
        // Only the status changed: refilling the form would drop the user's unsaved edits.
        this.agent.set(updated);
        this.form.controls.status.setValue(updated.status);
        this.baseline.markControl('status');
        this.notifier.success(`${a.name} is now ${status}`);
      });
    if (status !== 'archived') {
      run();
      return;
    }
    this.confirm
      .ask({
        title: `Archive ${a.name}?`,
        message: 'An archived agent takes no calls. You can reactivate it later.',
        confirmText: 'Archive',
        danger: true,
      })
      .subscribe((ok) => ok && run());
  }
}
