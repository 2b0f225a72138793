import { TestBed } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { Confirm } from './confirm-dialog';

describe('Confirm', () => {
  it('focuses returnFocusTo once the dialog has closed (a menu item focused before is gone)', async () => {
    const confirm = TestBed.inject(Confirm);
    const trigger = { focus: jest.fn() };
    let answer: boolean | undefined;
    confirm.ask({ title: 'Archive?', message: 'Sure?' }, trigger).subscribe((ok) => (answer = ok));
    expect(trigger.focus).not.toHaveBeenCalled();
    TestBed.inject(MatDialog).closeAll();
    await new Promise((r) => setTimeout(r, 300));
    expect(answer).toBe(false);
    expect(trigger.focus).toHaveBeenCalled();
  });
});
