import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { RouterOutlet } from '@angular/router';
import { LoadFailure } from './core/load-failure';
import { ThemeService } from './core/theme';

@Component({
  imports: [RouterOutlet],
  selector: 'app-root',
  changeDetection: ChangeDetectionStrategy.OnPush,
  // Plain markup, not Material: it must show when the lazy chunks (Material's too) cannot load.
  template: `
    @if (loadFailure.url()) {
      <div class="load-failure" role="alert" data-testid="load-failure">
        <span>This page could not be loaded. Reload to get the latest version.</span>
        <button type="button" (click)="loadFailure.reload()">Reload</button>
        <button type="button" (click)="loadFailure.url.set(null)">Dismiss</button>
      </div>
    }
    <router-outlet />
  `,
  styles: `
    .load-failure {
      position: fixed;
      inset: auto 16px 16px;
      z-index: 1000;
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 8px 16px;
      max-width: 560px;
      margin: 0 auto;
      padding: 12px 16px;
      border-radius: 8px;
      background: var(--mat-sys-inverse-surface, #333);
      color: var(--mat-sys-inverse-on-surface, #fff);
    }
    .load-failure span {
      flex: 1 1 240px;
    }
    .load-failure button {
      font: inherit;
      font-weight: 600;
      padding: 6px 12px;
      border: 0;
      border-radius: 4px;
      background: transparent;
      color: var(--mat-sys-inverse-primary, #9cf);
      cursor: pointer;
    }
  `,
})
export class App {
  // Instantiated here so the saved theme applies before the first screen renders.
  protected readonly theme = inject(ThemeService);
  protected readonly loadFailure = inject(LoadFailure);
}
