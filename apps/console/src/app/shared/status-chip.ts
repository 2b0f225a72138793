import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';

type Tone = 'good' | 'warn' | 'bad' | 'info' | 'neutral';

const TONES: Record<string, Tone> = {
  active: 'good',
  running: 'info',
  draft: 'neutral',
  cancelled: 'neutral',
  waiting: 'neutral',
  scheduled: 'info',
  dialing: 'info',
  skipped: 'neutral',
  completed: 'good',
  succeeded: 'good',
  converted: 'good',
  qualified: 'good',
  positive: 'good',
  owner: 'info',
  admin: 'info',
  in_progress: 'info',
  ringing: 'info',
  queued: 'neutral',
  pending: 'info',
  new: 'info',
  contacted: 'neutral',
  neutral: 'neutral',
  member: 'neutral',
  viewer: 'neutral',
  paused: 'warn',
  invited: 'warn',
  voicemail: 'warn',
  no_answer: 'warn',
  busy: 'warn',
  archived: 'neutral',
  canceled: 'neutral',
  failed: 'bad',
  lost: 'bad',
  do_not_call: 'bad',
  disabled: 'bad',
  negative: 'bad',
};

export function humanize(value: string | null | undefined): string {
  if (!value) return '';
  const s = value.replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

@Component({
  selector: 'app-status-chip',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '[class]': "'chip tone-' + tone()", '[attr.data-status]': 'value()' },
  template: `{{ label() }}`,
  styles: `
    :host {
      display: inline-flex;
      align-items: center;
      padding: 2px 10px;
      border-radius: 999px;
      font: var(--mat-sys-label-medium);
      white-space: nowrap;
      line-height: 20px;
    }
    :host(.tone-good) {
      background: var(--acc-good-bg);
      color: var(--acc-good-fg);
    }
    :host(.tone-warn) {
      background: var(--acc-warn-bg);
      color: var(--acc-warn-fg);
    }
    :host(.tone-bad) {
      background: var(--mat-sys-error-container);
      color: var(--mat-sys-on-error-container);
    }
    :host(.tone-info) {
      background: var(--mat-sys-primary-container);
      color: var(--mat-sys-on-primary-container);
    }
    :host(.tone-neutral) {
      background: var(--mat-sys-surface-container-highest);
      color: var(--mat-sys-on-surface-variant);
    }
  `,
})
export class StatusChip {
  readonly value = input.required<string | null | undefined>();
  protected readonly tone = computed<Tone>(() => TONES[this.value() ?? ''] ?? 'neutral');
  protected readonly label = computed(() => humanize(this.value()));
}
