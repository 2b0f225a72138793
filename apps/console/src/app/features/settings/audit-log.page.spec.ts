import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideNoopAnimations } from '@angular/platform-browser/animations';
import type { AuditEvent } from '@acc/contracts';
import { signInAs } from '../../testing/session';
import { AuditLogPage } from './audit-log.page';

const EVENT: AuditEvent = {
  id: '00000000-0000-4000-8000-000000000001',
  at: '2026-01-02T10:00:00.000000Z',
  actor: { type: 'user', id: 'u1', name: 'Ada Admin' },
  action: 'agent.updated',
  resourceType: 'agent',
  resourceId: 'a1',
  changes: { systemPrompt: ['Be kind.', 'Be brief.'], secret: 'changed' },
  ip: '127.0.0.1',
  userAgent: 'test',
  requestId: 'r1',
};

describe('AuditLogPage', () => {
  it('lists the events with a readable diff, and filters on the server', async () => {
    localStorage.clear();
    TestBed.configureTestingModule({
      imports: [AuditLogPage],
      providers: [provideHttpClient(), provideHttpClientTesting(), provideNoopAnimations()],
    });
    signInAs('admin');
    const fixture = TestBed.createComponent(AuditLogPage);
    const http = TestBed.inject(HttpTestingController);
    http
      .expectOne((r) => r.url === '/api/v1/audit-events')
      .flush({ data: [EVENT], nextCursor: null });
    await fixture.whenStable();
    const el = fixture.nativeElement as HTMLElement;
    const texts = (id: string) =>
      [...el.querySelectorAll(`[data-testid="${id}"]`)].map((c) => c.textContent?.trim());
    expect(texts('audit-action')).toEqual(['agent.updated']);
    expect(texts('audit-change')).toEqual([
      'Be kind. → Be brief.',
      'changed (secret, not recorded)',
    ]);
    expect(el.textContent).toContain('Ada Admin');

    const action = el.querySelector('[data-testid="audit-filter-action"]') as HTMLInputElement;
    action.value = 'lead.created';
    action.dispatchEvent(new Event('input'));
    (el.querySelector('[data-testid="audit-apply"]') as HTMLButtonElement).click();
    const req = http.expectOne((r) => r.url === '/api/v1/audit-events');
    expect(req.request.params.get('action')).toBe('lead.created');
    req.flush({ data: [], nextCursor: null });
    await fixture.whenStable();
    expect(el.querySelector('[data-testid="audit-event"]')).toBeNull();
    const saved: Blob[] = [];
    URL.createObjectURL = (b: Blob) => (saved.push(b), 'blob:x');
    URL.revokeObjectURL = () => undefined;
    (el.querySelector('[data-testid="audit-export"]') as HTMLButtonElement).click();
    const csv = http.expectOne((r) => r.url === '/api/v1/audit-events/export');
    expect(csv.request.params.get('action')).toBe('lead.created');
    csv.flush(new Blob(['id\r\n']));
    expect(saved).toHaveLength(1);
    http.verify();
  });
});
