import { Injectable, signal } from '@angular/core';
import { isValidTimeZone } from '../shared/dates';

const browserZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

/**
 * The workspace's time zone (Settings), in which every date is shown (the `when` pipe): the
 * browser's until the workspace's is known. The shell sets it on entering a workspace, Settings
 * on saving.
 */
@Injectable({ providedIn: 'root' })
export class WorkspaceZone {
  readonly zone = signal<string>(browserZone());

  set(timeZone: string | null | undefined): void {
    this.zone.set(isValidTimeZone(timeZone) ? timeZone : browserZone());
  }
}
