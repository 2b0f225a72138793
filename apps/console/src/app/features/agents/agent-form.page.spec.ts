import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Title } from '@angular/platform-browser';
import { Router, provideRouter } from '@angular/router';
import { AGENT_DEFAULTS } from '@acc/contracts';
import { AgentDirectory } from '../../core/agent-directory';
import { Notifier } from '../../core/notifier';
import { AgentFormPage } from './agent-form.page';
import { signInAs } from '../../testing/session';

async function render(role: 'viewer' | 'member', id?: string) {
  localStorage.clear();
  TestBed.configureTestingModule({
    imports: [AgentFormPage],
    providers: [
      provideHttpClient(),
      provideHttpClientTesting(),
      provideRouter([]),
      { provide: Notifier, useValue: { error: jest.fn(), success: jest.fn() } },
    ],
  });
  signInAs(role);
  const fixture = TestBed.createComponent(AgentFormPage);
  if (id) fixture.componentRef.setInput('id', id);
  await fixture.whenStable();
  await Promise.resolve();
  await fixture.whenStable();
  const router = TestBed.inject(Router);
  jest.spyOn(router, 'navigate').mockResolvedValue(true);
  return {
    fixture,
    el: fixture.nativeElement as HTMLElement,
    http: TestBed.inject(HttpTestingController),
    router,
  };
}

describe('AgentFormPage', () => {
  it('creates an agent with the contract defaults and normalised transfer numbers', async () => {
    const { fixture, http, router } = await render('member');
    const page = fixture.componentInstance;
    const form = (page as unknown as { form: { patchValue(v: object): void } }).form;
    form.patchValue({ name: 'Ava', dispositionCodes: 'booked, call_back' });
    (page as unknown as { addTransfer(l: string, p: string): void }).addTransfer(
      'Desk',
      '(415) 555-0100',
    );
    page.save();
    const req = http.expectOne('/api/v1/agents');
    expect(req.request.method).toBe('POST');
    expect(req.request.body).toMatchObject({
      name: 'Ava',
      language: 'en-US',
      maxCallSeconds: 600,
      dispositionCodes: ['booked', 'call_back'],
      transferDestinations: [{ label: 'Desk', phone: '+14155550100' }],
      voicemailMessage: null,
    });
    req.flush({ id: 'a1', name: 'Ava' });
    expect(router.navigate).toHaveBeenCalledWith(['/agents']);
  });

  it('refreshes the agent directory after creating an agent, so pickers list it', async () => {
    const { fixture, http } = await render('member');
    const directory = TestBed.inject(AgentDirectory);
    directory.ensure();
    http
      .expectOne((r) => r.url === '/api/v1/agents' && r.method === 'GET')
      .flush({
        data: [],
        nextCursor: null,
      });
    const page = fixture.componentInstance;
    (page as unknown as { form: { patchValue(v: object): void } }).form.patchValue({ name: 'Ava' });
    page.save();
    http.expectOne({ url: '/api/v1/agents', method: 'POST' }).flush({ id: 'a1', name: 'Ava' });
    http
      .expectOne((r) => r.url === '/api/v1/agents' && r.method === 'GET')
      .flush({
        data: [{ id: 'a1', name: 'Ava' }],
        nextCursor: null,
      });
    expect(directory.name('a1')).toBe('Ava');
  });

  it('requires a voicemail message when the agent leaves one', async () => {
    const { fixture, el, http } = await render('member');
    const page = fixture.componentInstance;
    (page as unknown as { form: { patchValue(v: object): void } }).form.patchValue({
      name: 'Ava',
      voicemailBehavior: 'leave_message',
    });
    await fixture.whenStable();
    el.querySelector<HTMLButtonElement>('[data-testid="agent-save"]')?.click();
    await fixture.whenStable();
    http.expectNone('/api/v1/agents');
    expect(el.querySelector('[data-testid="agent-voicemail"]')).not.toBeNull();
    expect(el.textContent).toContain('Required when the agent leaves a voicemail');
    expect(el.textContent).not.toContain('voicemailMessage');
  });

  it('does not save a cleared temperature as 0', async () => {
    const { fixture, el, http } = await render('member');
    const page = fixture.componentInstance;
    (page as unknown as { form: { patchValue(v: object): void } }).form.patchValue({
      name: 'Ava',
      temperature: null,
    });
    page.save();
    await fixture.whenStable();
    http.expectNone('/api/v1/agents');
    expect(el.querySelector('mat-error')?.textContent).toContain('Enter a number');
  });

  it('saves once the behaviour no longer needs the missing voicemail message', async () => {
    const { fixture, http } = await render('member');
    const page = fixture.componentInstance;
    const form = (page as unknown as { form: { patchValue(v: object): void } }).form;
    form.patchValue({ name: 'Ava', voicemailBehavior: 'leave_message' });
    page.save();
    http.expectNone('/api/v1/agents');
    form.patchValue({ voicemailBehavior: 'hang_up' });
    page.save();
    expect(http.expectOne('/api/v1/agents').request.method).toBe('POST');
  });

  it('keeps unsaved edits when the status is changed', async () => {
    const { fixture, http } = await render('member', 'a1');
    const page = fixture.componentInstance as unknown as {
      form: { patchValue(v: object): void; getRawValue(): { name: string; status: string } };
      setStatus(s: string): void;
    };
    const agent = { ...AGENT_DEFAULTS, id: 'a1', name: 'Ava' };
    http.expectOne('/api/v1/agents/a1').flush(agent);
    page.form.patchValue({ name: 'Ava (edited)' });
    page.setStatus('paused');
    http
      .expectOne({ url: '/api/v1/agents/a1', method: 'PATCH' })
      .flush({ ...agent, status: 'paused' });
    expect(page.form.getRawValue()).toMatchObject({ name: 'Ava (edited)', status: 'paused' });
  });

  it('is read-only for viewers', async () => {
    const { el } = await render('viewer');
    expect(el.querySelector('[data-testid="agent-save"]')).toBeNull();
    expect(el.querySelector<HTMLInputElement>('[data-testid="agent-name"]')?.disabled).toBe(true);
  });

  it("has one status control, the header's buttons, and names the agent in the tab's title", async () => {
    const { fixture, http, el } = await render('member', 'a1');
    http.expectOne('/api/v1/agents/a1').flush({ ...AGENT_DEFAULTS, id: 'a1', name: 'Ava' });
    await fixture.whenStable();
    expect(el.querySelector('[formcontrolname="status"]')).toBeNull();
    expect(el.querySelector('[data-testid="agent-pause"]')).not.toBeNull();
    expect(TestBed.inject(Title).getTitle()).toMatch(/^Ava · /);
  });
});
