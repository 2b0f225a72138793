import { Injectable, signal } from '@angular/core';
import type { ConsoleRuntimeConfig } from '@acc/contracts';

export const DEFAULT_RUNTIME_CONFIG: ConsoleRuntimeConfig = {
  apiUrl: '',
  appName: 'AI Call Center',
  appVersion: 'dev',
};

/**
 * Runtime configuration fetched once at startup from /config.json (served by the API),
 * so one build runs in every environment. A missing or broken file falls back to same-origin.
 */
@Injectable({ providedIn: 'root' })
export class RuntimeConfig {
  private readonly state = signal<ConsoleRuntimeConfig>(DEFAULT_RUNTIME_CONFIG);
  readonly config = this.state.asReadonly();

  get apiUrl(): string {
    return this.state().apiUrl;
  }

  /** Absolute or same-origin URL of an API path such as `/api/v1/agents`. */
  url(path: string): string {
    return this.state().apiUrl.replace(/\/+$/, '') + path;
  }

  /** True when `url` points at our API (so it may carry the bearer token). */
  isApiUrl(url: string): boolean {
    const base = this.state().apiUrl.replace(/\/+$/, '');
    if (!base) return url.startsWith('/api/');
    return url.startsWith(base + '/api/');
  }

  set(config: Partial<ConsoleRuntimeConfig>): void {
    const given = Object.fromEntries(Object.entries(config).filter(([, v]) => v !== undefined));
    this.state.set({ ...DEFAULT_RUNTIME_CONFIG, ...given });
  }

  async load(fetchFn: typeof fetch = fetch): Promise<void> {
    try {
      const res = await fetchFn('/config.json', { cache: 'no-store' });
      if (!res.ok) throw new Error(`config.json: HTTP ${res.status}`);
      const body = (await res.json()) as Partial<ConsoleRuntimeConfig>;
      this.set({
        apiUrl: typeof body.apiUrl === 'string' ? body.apiUrl : '',
        appName: typeof body.appName === 'string' && body.appName ? body.appName : undefined,
        appVersion:
          typeof body.appVersion === 'string' && body.appVersion ? body.appVersion : undefined,
      });
    } catch (e) {
      console.warn('Using default runtime configuration:', e);
      this.set({});
    }
    if (typeof document !== 'undefined') document.title = this.state().appName;
  }
}
