import { computed, signal } from '@angular/core';
import { Observable } from 'rxjs';
import { apiErrorMessages } from '../core/api-error';

export interface SendOptions<T> {
  next: (value: T) => void;
  /**
   * The page navigates away on success: the button stays disabled until it has gone, so a second
   * click cannot send the request again.
   */
  leavesPage?: boolean;
  /** What to show when the request fails; the API's own messages by default. */
  describe?: (error: unknown) => string[];
}

/** The state of a form that sends one request at a time: busy while it is in flight, then its errors. */
export class Submission {
  readonly busy = signal(false);
  readonly errors = signal<string[]>([]);
  /** The errors as one line, for forms that show a single notice. */
  readonly error = computed(() => this.errors().join('; '));

  clear(): void {
    this.errors.set([]);
  }

  /** Sends `request` unless one is already in flight. */
  send<T>(request: Observable<T>, options: SendOptions<T>): void {
    if (this.busy()) return;
    const describe = options.describe ?? apiErrorMessages;
    this.busy.set(true);
    request.subscribe({
      next: (value) => {
        if (!options.leavesPage) this.busy.set(false);
        options.next(value);
      },
      error: (e: unknown) => {
        this.busy.set(false);
        this.errors.set(describe(e));
      },
    });
  }
}
