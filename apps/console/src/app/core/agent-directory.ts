import { Injectable, computed, inject, signal } from '@angular/core';
import type { Agent } from '@acc/contracts';
import { AgentsApi } from './api/agents.api';
import { AuthStore } from './auth.store';

/** The tenant's agents, fetched once per tenant, for pickers and id -> name look-ups. */
@Injectable({ providedIn: 'root' })
export class AgentDirectory {
  private readonly api = inject(AgentsApi);
  private readonly auth = inject(AuthStore);
  private readonly state = signal<Agent[]>([]);
  private loadedFor: string | null = null;
  private inFlightFor: string | null = null;
  /** Numbers the fetches so that only the latest one lands (an older one may answer last). */
  private fetchSeq = 0;

  readonly agents = this.state.asReadonly();
  readonly byId = computed(() => new Map(this.state().map((a) => [a.id, a])));

  /** Fetches when the active tenant changed since the last fetch (or `force`). */
  ensure(force = false): void {
    const key = `${this.auth.tenant()?.id}:${this.auth.tenantEpoch()}`;
    if (!force && (this.loadedFor === key || this.inFlightFor === key)) return;
    const seq = ++this.fetchSeq;
    this.inFlightFor = key;
    this.api.all().subscribe({
      next: (agents) => {
        if (seq !== this.fetchSeq) return;
        this.state.set(agents);
        this.loadedFor = key;
        this.inFlightFor = null;
      },
      error: () => {
        if (seq === this.fetchSeq) this.inFlightFor = null;
      },
    });
  }

  /** Call after an agent is created or changed: refetches if the list was ever fetched. */
  refresh(): void {
    if (this.loadedFor || this.inFlightFor) this.ensure(true);
  }

  name(id: string | null | undefined): string {
    if (!id) return '—';
    return this.byId().get(id)?.name ?? 'Unknown agent';
  }
}
