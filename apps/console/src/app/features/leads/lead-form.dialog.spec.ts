import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';
import { provideNoopAnimations } from '@angular/platform-browser/animations';
import type { Lead } from '@acc/contracts';
import { NEVER } from 'rxjs';
import { LeadFormDialog, changedFields } from './lead-form.dialog';

const LEGACY: Lead = {
  id: '7c1f1a52-2a47-4f3c-9b43-5d7a1e0b9a11',
  firstName: 'Ava',
  lastName: 'Smith',
  // an old demo number libphonenumber refuses (area code 200 does not exist)
  phone: '+12002217377',
  email: 'ava@example.com',
  company: null,
  status: 'new',
  source: 'import',
  assignedAgentId: null,
  tags: ['vip'],
  timezone: 'America/New_York',
  nextCallAt: '2026-11-27T15:30:45.123Z',
  lastContactedAt: null,
  customFields: { plan: 'gold', seats: 12 },
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

interface DialogInternals {
  form: {
    controls: Record<string, { setValue(v: unknown): void; errors: unknown }>;
  };
  save(): void;
}

async function open(lead: Lead | null) {
  const close = jest.fn();
  TestBed.configureTestingModule({
    imports: [LeadFormDialog],
    providers: [
      provideHttpClient(),
      provideHttpClientTesting(),
      provideNoopAnimations(),
      { provide: MAT_DIALOG_DATA, useValue: lead },
      {
        provide: MatDialogRef,
        useValue: { close, backdropClick: () => NEVER, keydownEvents: () => NEVER },
      },
    ],
  });
  const fixture = TestBed.createComponent(LeadFormDialog);
  await fixture.whenStable();
  const http = TestBed.inject(HttpTestingController);
  // the agent picker's list
  for (const r of http.match((req) => req.url.includes('/api/v1/agents'))) {
    r.flush({ data: [], nextCursor: null });
  }
  const dialog = fixture.componentInstance as unknown as DialogInternals;
  return { fixture, dialog, http, close, el: fixture.nativeElement as HTMLElement };
}

describe('LeadFormDialog', () => {
  afterEach(() => TestBed.inject(HttpTestingController).verify());

  it('on edit sends only the changed status, not the stored (legacy) phone', async () => {
    const { dialog, http, close } = await open(LEGACY);
    expect(dialog.form.controls['phone'].errors).toBeNull();
    dialog.form.controls['status'].setValue('contacted');
    dialog.save();
    const req = http.expectOne(`/api/v1/leads/${LEGACY.id}`);
    expect(req.request.method).toBe('PATCH');
    expect(req.request.body).toEqual({ status: 'contacted' });
    req.flush({ ...LEGACY, status: 'contacted' });
    expect(close).toHaveBeenCalledWith({ ...LEGACY, status: 'contacted' });
  });

  it('on edit sends only the tags when a tag is added', async () => {
    const { dialog, http } = await open(LEGACY);
    dialog.form.controls['tags'].setValue(['vip', 'spring']);
    dialog.save();
    const req = http.expectOne(`/api/v1/leads/${LEGACY.id}`);
    expect(req.request.body).toEqual({ tags: ['vip', 'spring'] });
    req.flush(LEGACY);
  });

  it('on edit still checks a changed phone, with a message that fits under the field', async () => {
    const { dialog, http, fixture, el } = await open(LEGACY);
    dialog.form.controls['phone'].setValue('+1 200 221 7378');
    dialog.save();
    http.expectNone(`/api/v1/leads/${LEGACY.id}`);
    fixture.detectChanges();
    await fixture.whenStable();
    expect(el.querySelector('[data-testid="lead-phone-error"]')?.textContent?.trim()).toBe(
      'Not a valid phone number',
    );
  });

  it('on edit sends a changed phone normalised', async () => {
    const { dialog, http } = await open(LEGACY);
    dialog.form.controls['phone'].setValue('(415) 555-0142');
    dialog.save();
    const req = http.expectOne(`/api/v1/leads/${LEGACY.id}`);
    expect(req.request.body).toEqual({ phone: '+14155550142' });
    req.flush(LEGACY);
  });

  it('on edit with nothing changed sends nothing and closes', async () => {
    const { dialog, http, close } = await open(LEGACY);
    dialog.save();
    http.expectNone(`/api/v1/leads/${LEGACY.id}`);
    expect(close).toHaveBeenCalledWith();
  });

  it('on create sends the whole lead and checks the phone', async () => {
    const { dialog, http } = await open(null);
    dialog.form.controls['phone'].setValue('+12002217377');
    dialog.save();
    http.expectNone('/api/v1/leads');
    dialog.form.controls['phone'].setValue('415 555 0101');
    dialog.save();
    const req = http.expectOne('/api/v1/leads');
    expect(req.request.method).toBe('POST');
    expect(req.request.body).toMatchObject({ phone: '+14155550101', status: 'new', tags: [] });
    req.flush({ ...LEGACY, phone: '+14155550101' });
  });

  it("puts the API's refusal on its field in plain words, and focuses that field", async () => {
    const { dialog, http, fixture, el } = await open(null);
    document.body.appendChild(el);
    dialog.form.controls['phone'].setValue('415 555 0101');
    dialog.save();
    http.expectOne('/api/v1/leads').flush(
      {
        statusCode: 409,
        error: 'Conflict',
        message: 'phone: a lead with this phone already exists',
      },
      { status: 409, statusText: 'Conflict' },
    );
    await fixture.whenStable();
    const phoneError = el.querySelector('[data-testid="lead-phone-error"]');
    expect(phoneError?.textContent?.trim()).toBe('Another lead already has this phone');
    expect(document.activeElement).toBe(el.querySelector('[data-testid="lead-phone"]'));
    expect(el.querySelector('.form-errors')).toBeNull();
    el.remove();
  });
});

describe('lead form helpers', () => {
  it('keeps only the changed fields', () => {
    expect(
      changedFields(
        { a: 1, b: ['x'], c: { k: 1 }, d: null },
        { a: 1, b: ['x', 'y'], c: { k: 1 }, d: 'z' },
      ),
    ).toEqual({ b: ['x'], d: null });
  });
});
