import { inject } from '@angular/core';
import { CanDeactivateFn } from '@angular/router';
import { Confirm } from '../shared/confirm-dialog';

/** A page holding edits that leaving would lose. */
export interface HasUnsavedChanges {
  hasUnsavedChanges(): boolean;
}

/** Asks before a navigation drops unsaved edits (reload and tab close: the page's beforeunload). */
export const unsavedChangesGuard: CanDeactivateFn<HasUnsavedChanges> = (page) =>
  !page.hasUnsavedChanges() ||
  inject(Confirm).ask({
    title: 'Discard unsaved changes?',
    message: 'You changed settings without saving them. Leaving this page discards those changes.',
    confirmText: 'Discard',
    danger: true,
  });
