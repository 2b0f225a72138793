import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';
import { ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatTooltipModule } from '@angular/material/tooltip';
import { RouterLink } from '@angular/router';
import { RuntimeConfig } from '../../core/runtime-config';
import { ThemeService } from '../../core/theme';
import { Icon } from '../../shared/icon';

/** The frame of every signed-out page: brand, a card, the theme toggle. */
@Component({
  selector: 'app-auth-card',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [Icon, MatButtonModule, MatTooltipModule],
  template: `
    <div class="wrap">
      <header class="brand">
        <span class="logo"><app-icon name="agent" /></span>
        <span>{{ config.config().appName }}</span>
        <span class="spacer"></span>
        <button
          mat-icon-button
          type="button"
          (click)="theme.toggle()"
          [matTooltip]="'Theme: ' + theme.mode()"
          aria-label="Toggle theme"
        >
          <app-icon [name]="theme.icon()" />
        </button>
      </header>
      <main class="card">
        <h1>{{ heading() }}</h1>
        @if (subheading()) {
          <p class="sub">{{ subheading() }}</p>
        }
        <ng-content />
      </main>
      <footer class="foot">v{{ config.config().appVersion }}</footer>
    </div>
  `,
  styles: `
    :host {
      display: flex;
      min-height: 100vh;
      align-items: flex-start;
      justify-content: center;
      background: var(--mat-sys-surface-container-low);
    }
    .wrap {
      width: 100%;
      max-width: 440px;
      padding: 48px 16px 24px;
      box-sizing: border-box;
    }
    .brand {
      display: flex;
      align-items: center;
      gap: 10px;
      font: var(--mat-sys-title-large);
      margin-bottom: 20px;
    }
    .logo {
      display: inline-grid;
      place-items: center;
      width: 40px;
      height: 40px;
      border-radius: 12px;
      background: var(--mat-sys-primary);
      color: var(--mat-sys-on-primary);
    }
    .card {
      background: var(--mat-sys-surface);
      border: 1px solid var(--mat-sys-outline-variant);
      border-radius: 16px;
      padding: 28px 24px 20px;
    }
    h1 {
      margin: 0 0 4px;
      font: var(--mat-sys-headline-small);
    }
    .sub {
      margin: 0 0 20px;
      color: var(--mat-sys-on-surface-variant);
    }
    .foot {
      text-align: center;
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-body-small);
    }
  `,
})
export class AuthCard {
  readonly heading = input.required<string>();
  readonly subheading = input('');
  protected readonly config = inject(RuntimeConfig);
  protected readonly theme = inject(ThemeService);
}

/** What every signed-out form page imports: this card, a reactive form, links and Material fields. */
export const AUTH_FORM_IMPORTS = [
  AuthCard,
  ReactiveFormsModule,
  RouterLink,
  MatButtonModule,
  MatFormFieldModule,
  MatInputModule,
] as const;
