import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { FormControl, FormGroup } from '@angular/forms';
import { MatDialog, MatDialogRef } from '@angular/material/dialog';
import { provideNoopAnimations } from '@angular/platform-browser/animations';
import { firstValueFrom, of } from 'rxjs';
import { Confirm } from '../shared/confirm-dialog';
import {
  FORM_DIALOG,
  FormBaseline,
  UnsavedChanges,
  guardDialogClose,
  trackUnsavedChanges,
} from './unsaved-changes';

describe('FormBaseline', () => {
  const form = () =>
    new FormGroup({ name: new FormControl('Ava'), status: new FormControl('active') });

  it('is changed by an edit and unchanged again when the edit is undone', () => {
    const f = form();
    const b = new FormBaseline(f);
    expect(b.changed()).toBe(false);
    f.patchValue({ name: 'Bea' });
    expect(b.changed()).toBe(true);
    f.patchValue({ name: 'Ava' });
    expect(b.changed()).toBe(false);
  });

  it('takes a saved control alone without forgetting the other edits', () => {
    const f = form();
    const b = new FormBaseline(f);
    f.patchValue({ name: 'Bea', status: 'paused' });
    b.markControl('status');
    expect(b.changed()).toBe(true);
    f.patchValue({ name: 'Ava' });
    expect(b.changed()).toBe(false);
  });
});

@Component({
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<input />`,
})
class FormDialog {
  readonly form = new FormGroup({ name: new FormControl('') });
  private readonly baseline = new FormBaseline(this.form);
  readonly cancel = guardDialogClose(inject(MatDialogRef), () => this.baseline.changed());
}

@Component({ changeDetection: ChangeDetectionStrategy.OnPush, template: '' })
class EditingPage {
  dirty = false;
  constructor() {
    trackUnsavedChanges(() => this.dirty);
  }
}

describe('guardDialogClose and the leave question', () => {
  function setup(answer: boolean) {
    const ask = jest.fn(() => of(answer));
    TestBed.configureTestingModule({
      providers: [provideNoopAnimations(), { provide: Confirm, useValue: { ask } }],
    });
    const ref = TestBed.inject(MatDialog).open(FormDialog, FORM_DIALOG);
    const closed = jest.fn();
    ref.afterClosed().subscribe(closed);
    const escape = () =>
      document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    const clickOutside = () =>
      (document.querySelector('.cdk-overlay-backdrop') as HTMLElement).click();
    return { ask, ref, closed, escape, clickOutside, unsaved: TestBed.inject(UnsavedChanges) };
  }

  afterEach(() => TestBed.inject(MatDialog).closeAll());

  it('closes at once on Esc when nothing was typed', async () => {
    const { ask, closed, escape } = setup(false);
    escape();
    await new Promise((r) => setTimeout(r));
    expect(ask).not.toHaveBeenCalled();
    expect(closed).toHaveBeenCalled();
  });

  it('asks on Esc, a click outside and Cancel once something was typed, and keeps it open', async () => {
    const { ask, ref, closed, escape, clickOutside } = setup(false);
    ref.componentInstance.form.patchValue({ name: 'Jo' });
    escape();
    clickOutside();
    ref.componentInstance.cancel();
    await new Promise((r) => setTimeout(r));
    expect(ask).toHaveBeenCalledTimes(3);
    expect(closed).not.toHaveBeenCalled();
  });

  it('closes once the user agreed to discard', async () => {
    const { ask, ref, closed, escape } = setup(true);
    ref.componentInstance.form.patchValue({ name: 'Jo' });
    escape();
    await new Promise((r) => setTimeout(r));
    expect(ask).toHaveBeenCalledTimes(1);
    expect(closed).toHaveBeenCalled();
  });

  it('makes a navigation and a reload ask while the dialog holds edits', async () => {
    const { ask, ref, closed, unsaved } = setup(false);
    const unload = () => {
      const e = new Event('beforeunload', { cancelable: true });
      window.dispatchEvent(e);
      return e.defaultPrevented;
    };
    expect(unload()).toBe(false);
    ref.componentInstance.form.patchValue({ name: 'Jo' });
    expect(unload()).toBe(true);
    expect(await firstValueFrom(unsaved.confirmLeave())).toBe(false);
    expect(ask).toHaveBeenCalledTimes(1);
    expect(closed).not.toHaveBeenCalled();
  });

  it('closes the dialog when a navigation goes ahead', async () => {
    const { closed, unsaved } = setup(true);
    expect(await firstValueFrom(unsaved.confirmLeave())).toBe(true);
    await new Promise((r) => setTimeout(r));
    expect(closed).toHaveBeenCalled();
  });

  it("tracks a page's edits until the page is destroyed", async () => {
    const { unsaved } = setup(false);
    TestBed.inject(MatDialog).closeAll();
    const fixture = TestBed.createComponent(EditingPage);
    fixture.componentInstance.dirty = true;
    expect(unsaved.pending()).toBe(true);
    fixture.destroy();
    expect(unsaved.pending()).toBe(false);
  });
});
