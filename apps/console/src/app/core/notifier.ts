import { Injectable, Injector, inject } from '@angular/core';
import type { MatSnackBar } from '@angular/material/snack-bar';

/**
 * Snackbar messages. The snackbar module is imported on first use so that Material stays out
 * of the initial bundle (the interceptor, which needs this service, is in the startup path).
 */
@Injectable({ providedIn: 'root' })
export class Notifier {
  private readonly injector = inject(Injector);
  private snackBar?: Promise<MatSnackBar>;

  private bar(): Promise<MatSnackBar> {
    this.snackBar ??= import('@angular/material/snack-bar').then((m) =>
      this.injector.get(m.MatSnackBar),
    );
    return this.snackBar;
  }

  success(message: string): Promise<void> {
    return this.bar().then((s) => {
      s.open(message, undefined, { duration: 3000, panelClass: 'snack-success' });
    });
  }

  error(message: string): Promise<void> {
    return this.bar().then((s) => {
      s.open(message, 'Dismiss', {
        duration: 8000,
        panelClass: 'snack-error',
        politeness: 'assertive',
      });
    });
  }
}
