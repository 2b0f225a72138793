import { ChangeDetectionStrategy, Component, booleanAttribute, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { Icon } from './icon';
import { IconName } from './icons';

@Component({
  selector: 'app-loading',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatProgressSpinnerModule],
  host: { role: 'status', 'aria-live': 'polite', 'data-testid': 'loading' },
  template: `<mat-spinner diameter="36" /><span>{{ label() }}</span>`,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      align-items: center;
      gap: 12px;
      padding: 48px 16px;
      color: var(--mat-sys-on-surface-variant);
    }
  `,
})
export class Loading {
  readonly label = input('Loading…');
}

@Component({
  selector: 'app-empty',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [Icon],
  host: { 'data-testid': 'empty-state' },
  template: `
    <app-icon [name]="icon()" class="big" />
    @if (pageHeading()) {
      <h1>{{ title() }}</h1>
    } @else {
      <h3>{{ title() }}</h3>
    }
    @if (message()) {
      <p>{{ message() }}</p>
    }
    <ng-content />
  `,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      align-items: center;
      text-align: center;
      gap: 8px;
      padding: 48px 16px;
      color: var(--mat-sys-on-surface-variant);
    }
    .big {
      width: 48px;
      height: 48px;
      opacity: 0.6;
    }
    h1,
    h3 {
      margin: 8px 0 0;
      font: var(--mat-sys-title-medium);
      color: var(--mat-sys-on-surface);
    }
    p {
      margin: 0 0 8px;
      max-width: 420px;
    }
  `,
})
export class Empty {
  readonly icon = input<IconName>('inbox');
  readonly title = input.required<string>();
  readonly message = input<string>('');
  /** The title is the page's h1: the state is all the page shows (not found). */
  readonly pageHeading = input(false, { transform: booleanAttribute });
}

@Component({
  selector: 'app-error-state',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [Icon, MatButtonModule],
  host: { role: 'alert', 'data-testid': 'error-state' },
  template: `
    <app-icon name="error" class="big" />
    <h3>{{ title() }}</h3>
    <p>{{ message() }}</p>
    <button mat-stroked-button type="button" (click)="retry.emit()">Try again</button>
  `,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      align-items: center;
      text-align: center;
      gap: 8px;
      padding: 48px 16px;
    }
    .big {
      width: 48px;
      height: 48px;
      color: var(--mat-sys-error);
    }
    h1,
    h3 {
      margin: 8px 0 0;
      font: var(--mat-sys-title-medium);
    }
    p {
      margin: 0 0 8px;
      color: var(--mat-sys-on-surface-variant);
    }
  `,
})
export class ErrorState {
  readonly title = input('Could not load this page');
  readonly message = input('Something went wrong.');
  readonly retry = output<void>();
}
