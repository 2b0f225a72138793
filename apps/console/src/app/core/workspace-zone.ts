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
  /** The workspace's own zone once read (null before, or when it has none valid). */
  readonly known = signal<string | null>(null);

  set(timeZone: string | null | undefined): void {
    const valid = isValidTimeZone(timeZone);
    this.zone.set(valid ? timeZone : browserZone());
    this.known.set(valid ? timeZone : null);
  }
}
