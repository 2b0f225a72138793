import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { RouterLink } from '@angular/router';
import { forkJoin } from 'rxjs';
import { AgentsApi } from '../../core/api/agents.api';
import { IntegrationsApi } from '../../core/api/integrations.api';
import { LeadsApi } from '../../core/api/leads.api';
import { UsersApi } from '../../core/api/users.api';
import { Icon } from '../../shared/icon';

export interface SetupStep {
  key: 'agent' | 'leads' | 'provider' | 'teammate';
  label: string;
  hint: string;
  link: string;
  action: string;
  done: boolean;
}

/** What a workspace needs before its dashboard has anything to show, in order. */
export function setupSteps(have: {
  agents: number;
  leads: number;
  providers: number;
  members: number;
}): SetupStep[] {
  return [
    {
      key: 'agent',
      label: 'Create an agent',
      hint: 'The AI voice that calls your leads and answers your line.',
      link: '/agents/new',
      action: 'New agent',
      done: have.agents > 0,
    },
    {
      key: 'leads',
      label: 'Import leads',
      hint: 'A CSV of the people to call, or add them one by one.',
      link: '/leads',
      action: 'Go to leads',
      done: have.leads > 0,
    },
    {
      key: 'provider',
      label: 'Connect a voice provider',
      hint: 'Vapi or Retell places and answers the calls.',
      link: '/settings',
      action: 'Open Settings',
      done: have.providers > 0,
    },
    {
      key: 'teammate',
      label: 'Invite a teammate',
      hint: 'Someone to share the work with.',
      link: '/team',
      action: 'Go to team',
      done: have.members > 1,
    },
  ];
}

/**
 * The dashboard of a new workspace (issue 15 item 6): what to set up, what is done, a link to
 * each step; gone once every step is done. For admins (providers and the team are theirs).
 */
@Component({
  selector: 'app-setup-checklist',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [Icon, MatButtonModule, RouterLink],
  template: `
    @if (steps(); as steps) {
      @if (remaining(steps) > 0) {
        <section
          class="surface panel setup"
          data-testid="setup-checklist"
          aria-labelledby="setup-title"
        >
          <div class="panel-head">
            <h2 id="setup-title">Set up your workspace</h2>
            <span class="muted"
              >{{ steps.length - remaining(steps) }} of {{ steps.length }} done</span
            >
          </div>
          <ol>
            @for (s of steps; track s.key) {
              <li [class.done]="s.done" [attr.data-testid]="'setup-' + s.key">
                <span class="mark" [attr.aria-label]="s.done ? 'Done' : 'To do'" role="img">
                  @if (s.done) {
                    <app-icon name="check" />
                  }
                </span>
                <span class="text">
                  <span class="label">{{ s.label }}</span>
                  <span class="muted hint">{{ s.hint }}</span>
                </span>
                @if (!s.done) {
                  <a mat-stroked-button [routerLink]="s.link">{{ s.action }}</a>
                }
              </li>
            }
          </ol>
        </section>
      }
    }
  `,
  styles: `
    .setup {
      margin-bottom: 16px;
    }
    ol {
      list-style: none;
      margin: 0;
      padding: 0 16px 8px;
    }
    li {
      display: flex;
      align-items: center;
      gap: 12px;
      padding: 10px 0;
      border-top: 1px solid var(--mat-sys-outline-variant);
      flex-wrap: wrap;
    }
    .mark {
      display: inline-grid;
      place-items: center;
      flex: none;
      width: 24px;
      height: 24px;
      border-radius: 50%;
      border: 2px solid var(--mat-sys-outline);
      box-sizing: border-box;
    }
    li.done .mark {
      background: var(--mat-sys-primary);
      border-color: var(--mat-sys-primary);
      color: var(--mat-sys-on-primary);
    }
    li.done .label {
      text-decoration: line-through;
      color: var(--mat-sys-on-surface-variant);
    }
    .text {
      display: flex;
      flex-direction: column;
      flex: 1 1 200px;
      min-width: 0;
    }
    .label {
      font: var(--mat-sys-title-small);
    }
    .hint {
      font: var(--mat-sys-body-small);
    }
  `,
})
export class SetupChecklist {
  protected readonly steps = signal<SetupStep[] | null>(null);

  constructor() {
    forkJoin({
      agents: inject(AgentsApi).list({ limit: 1 }),
      leads: inject(LeadsApi).list({ limit: 1 }),
      integrations: inject(IntegrationsApi).list(),
      members: inject(UsersApi).list(),
    }).subscribe({
      next: (r) =>
        this.steps.set(
          setupSteps({
            agents: r.agents.data.length,
            leads: r.leads.data.length,
            providers: r.integrations.data.filter((i) => i.configured).length,
            members: r.members.data.length,
          }),
        ),
      // a checklist that cannot load is left out: the dashboard itself still works
      error: () => this.steps.set(null),
    });
  }

  protected remaining(steps: SetupStep[]): number {
    return steps.filter((s) => !s.done).length;
  }
}
