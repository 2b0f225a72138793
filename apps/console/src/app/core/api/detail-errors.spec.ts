import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Observable } from 'rxjs';
import { SILENT_ERRORS } from '../auth.interceptor';
import { RuntimeConfig } from '../runtime-config';
import { AgentsApi } from './agents.api';
import { CallsApi } from './calls.api';
import { LeadsApi } from './leads.api';

// Their callers show the error in place (error state, import dialog): a snackbar would repeat it.
describe('requests whose errors the page shows itself', () => {
  let ctrl: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    TestBed.inject(RuntimeConfig).set({ apiUrl: '' });
    ctrl = TestBed.inject(HttpTestingController);
  });

  const cases: [string, () => Observable<unknown>][] = [
    ['/api/v1/leads/l1', () => TestBed.inject(LeadsApi).get('l1')],
    ['/api/v1/agents/a1', () => TestBed.inject(AgentsApi).get('a1')],
    ['/api/v1/calls/c1', () => TestBed.inject(CallsApi).get('c1')],
    ['/api/v1/leads/import', () => TestBed.inject(LeadsApi).importText('phone\n1')],
    ['/api/v1/leads/import', () => TestBed.inject(LeadsApi).importFile(new Blob(['phone']))],
  ];

  it.each(cases)('%s is marked silent for the snackbar', (url, call) => {
    call().subscribe();
    expect(ctrl.expectOne(url).request.context.get(SILENT_ERRORS)).toBe(true);
  });

  it('keeps the CSV content type on pasted text', () => {
    TestBed.inject(LeadsApi).importText('phone\n1').subscribe();
    expect(ctrl.expectOne('/api/v1/leads/import').request.headers.get('Content-Type')).toBe(
      'text/csv',
    );
  });
});
