import { DestroyRef, Injectable, inject } from '@angular/core';
import type { AbstractControl } from '@angular/forms';
import type { MatDialogRef } from '@angular/material/dialog';
import { CanActivateChildFn } from '@angular/router';
import { Observable, filter, merge, of, tap } from 'rxjs';
import { Confirm } from '../shared/confirm-dialog';

interface Tracked {
  /** True while there are edits that leaving would lose. */
  dirty: () => boolean;
  /** Run when the user leaves anyway (a dialog closes itself; a page is destroyed by the router). */
  leave?: () => void;
}

/**
 * Every form on screen that holds unsaved edits, pages and dialogs alike, so that one question
 * guards each way of losing them: a navigation (the router's guard below), a reload or tab close
 * (the browser's own beforeunload question) and closing a dialog (`guardDialogClose`).
 */
@Injectable({ providedIn: 'root' })
export class UnsavedChanges {
  private readonly confirm = inject(Confirm);
  private readonly tracked = new Set<Tracked>();
  /** Edits the user agreed to lose: not asked about again while their page goes away. */
  private readonly discarded = new WeakSet<Tracked>();

  constructor() {
    const onUnload = (e: BeforeUnloadEvent) => {
      if (this.pending()) e.preventDefault();
    };
    window.addEventListener('beforeunload', onUnload);
    inject(DestroyRef).onDestroy(() => window.removeEventListener('beforeunload', onUnload));
  }

  /** Tracks `entry` until `destroyRef` ends (the page or dialog goes away). */
  track(entry: Tracked, destroyRef: DestroyRef): void {
    this.tracked.add(entry);
    destroyRef.onDestroy(() => this.tracked.delete(entry));
  }

  pending(): boolean {
    return [...this.tracked].some((t) => !this.discarded.has(t) && t.dirty());
  }

  /**
   * True at once when nothing is pending, else once the user agreed to discard; then the edits
   * on screen are given up (a navigation that follows asks nothing more). Open dialogs close.
   */
  confirmLeave(): Observable<boolean> {
    const leave = () => {
      for (const t of this.tracked) t.leave?.();
    };
    if (!this.pending()) {
      leave();
      return of(true);
    }
    return this.ask().pipe(
      tap((ok) => {
        if (!ok) return;
        for (const t of this.tracked) this.discarded.add(t);
        leave();
      }),
    );
  }

  /** The one wording of the question. */
  ask(): Observable<boolean> {
    return this.confirm.ask({
      title: 'Discard unsaved changes?',
      message: 'You have changes that are not saved yet. Discarding them cannot be undone.',
      confirmText: 'Discard',
      cancelText: 'Keep editing',
      danger: true,
    });
  }
}

/**
 * A page's unsaved edits: call in its constructor. The router then asks before leaving the page
 * (`unsavedChangesGuard`, on the screens' root route, so no route needs its own guard) and the
 * browser asks before a reload or tab close.
 */
export function trackUnsavedChanges(dirty: () => boolean): void {
  inject(UnsavedChanges).track({ dirty }, inject(DestroyRef));
}

/**
 * A dialog holding a form: call in its constructor. Esc, a click outside and `cancel()` (wire
 * the Cancel button to it) close it at once when nothing changed, else after the user agreed
 * to discard; a navigation or reload while it is open asks as for a page. Open such dialogs
 * with `closeOnNavigation: false` (FORM_DIALOG), or Back would close them before anyone asks.
 * Returns `cancel`.
 */
export function guardDialogClose(ref: MatDialogRef<unknown>, dirty: () => boolean): () => void {
  const unsaved = inject(UnsavedChanges);
  ref.disableClose = true;
  unsaved.track({ dirty, leave: () => ref.close() }, inject(DestroyRef));
  let asking = false;
  const cancel = () => {
    if (!dirty()) {
      ref.close();
      return;
    }
    if (asking) return;
    asking = true;
    unsaved.ask().subscribe((ok) => {
      asking = false;
      if (ok) ref.close();
    });
  };
  merge(
    ref.backdropClick(),
    ref.keydownEvents().pipe(filter((e) => e.key === 'Escape' && !e.defaultPrevented)),
  ).subscribe(cancel);
  return cancel;
}

/** Dialog options for a form dialog (see guardDialogClose). */
export const FORM_DIALOG = { closeOnNavigation: false } as const;

/**
 * Asks before a navigation to another screen (not a query change: list filters) drops unsaved
 * edits. On the screens' root route as canActivateChild, so it runs for every move between
 * screens, whichever page or dialog holds the edits.
 */
export const unsavedChangesGuard: CanActivateChildFn = () => inject(UnsavedChanges).confirmLeave();

/**
 * Whether a form differs from its last saved (or loaded) value: undoing an edit is no change,
 * unlike Angular's `dirty`. `mark()` after loading or saving.
 */
export class FormBaseline {
  /** JSON of the saved value: a copy no later edit can reach. */
  private saved: string;

  constructor(private readonly form: AbstractControl) {
    this.saved = this.current();
  }

  private current(): string {
    return JSON.stringify(this.form.getRawValue());
  }

  mark(): void {
    this.saved = this.current();
  }

  /** One control saved on its own (a status set by a button): other edits stay unsaved. */
  markControl(name: string): void {
    const saved = JSON.parse(this.saved) as Record<string, unknown>;
    const now = JSON.parse(this.current()) as Record<string, unknown>;
    this.saved = JSON.stringify({ ...saved, [name]: now[name] });
  }

  changed(): boolean {
    return this.current() !== this.saved;
  }
}
