import { Injectable, signal } from '@angular/core';

export type ThemeMode = 'system' | 'light' | 'dark';
const KEY = 'acc.theme';

/**
 * The Material theme is emitted with CSS light-dark() values, so switching is only a matter of
 * the root `color-scheme`: `system` follows prefers-color-scheme, the others pin it.
 */
@Injectable({ providedIn: 'root' })
export class ThemeService {
  readonly mode = signal<ThemeMode>(this.read());

  constructor() {
    this.apply(this.mode());
  }

  set(mode: ThemeMode): void {
    this.mode.set(mode);
    try {
      localStorage.setItem(KEY, mode);
    } catch {
      /* not persisted */
    }
    this.apply(mode);
  }

  /** Cycles system -> light -> dark. */
  toggle(): void {
    const next: Record<ThemeMode, ThemeMode> = { system: 'light', light: 'dark', dark: 'system' };
    this.set(next[this.mode()]);
  }

  /** Icon for the toggle: the pinned mode, or `auto` when following the system. */
  icon(): 'auto' | 'light' | 'dark' {
    const mode = this.mode();
    return mode === 'system' ? 'auto' : mode;
  }

  isDark(): boolean {
    const mode = this.mode();
    if (mode !== 'system') return mode === 'dark';
    return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches;
  }

  private apply(mode: ThemeMode): void {
    if (typeof document === 'undefined') return;
    const root = document.documentElement;
    root.classList.remove('theme-light', 'theme-dark');
    if (mode !== 'system') root.classList.add(`theme-${mode}`);
  }

  private read(): ThemeMode {
    try {
      const v = localStorage.getItem(KEY);
      return v === 'light' || v === 'dark' ? v : 'system';
    } catch {
      return 'system';
    }
  }
}
