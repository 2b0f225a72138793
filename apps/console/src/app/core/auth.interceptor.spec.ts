import { HttpClient, HttpContext, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { SILENT_ERRORS, authInterceptor } from './auth.interceptor';
import { AuthStore, SESSION_KEY } from './auth.store';
import { Notifier } from './notifier';
import { RuntimeConfig } from './runtime-config';

const session = {
  token: 'tok-123',
  user: { id: 'u1', email: 'a@b.co', fullName: 'A B', createdAt: '2025-01-01T00:00:00Z' },
  tenant: {
    id: 't1',
    name: 'Acme',
    slug: 'acme',
    domain: null,
    status: 'active' as const,
    plan: 'pro',
    createdAt: '2025-01-01T00:00:00Z',
  },
  role: 'admin' as const,
  expiresAt: new Date(Date.now() + 3600_000).toISOString(),
};

describe('authInterceptor', () => {
  let http: HttpClient;
  let ctrl: HttpTestingController;
  let notifier: { error: jest.Mock; success: jest.Mock };
  let router: Router;

  function setup(signedIn = true, apiUrl = '') {
    localStorage.clear();
    if (signedIn) localStorage.setItem(SESSION_KEY, JSON.stringify(session));
    notifier = { error: jest.fn(), success: jest.fn() };
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
        provideRouter([]),
        { provide: Notifier, useValue: notifier },
      ],
    });
    TestBed.inject(RuntimeConfig).set({ apiUrl });
    http = TestBed.inject(HttpClient);
    ctrl = TestBed.inject(HttpTestingController);
    router = TestBed.inject(Router);
    jest.spyOn(router, 'navigate').mockResolvedValue(true);
  }

  afterEach(() => ctrl.verify());

  it('adds the bearer token to API calls', () => {
    setup();
    http.get('/api/v1/agents').subscribe();
    const req = ctrl.expectOne('/api/v1/agents');
    expect(req.request.headers.get('Authorization')).toBe('Bearer tok-123');
    req.flush({ data: [], nextCursor: null });
  });

  it('adds the token when the API lives on another origin', () => {
    setup(true, 'https://api.example.com/');
    http.get('https://api.example.com/api/v1/leads').subscribe();
    const req = ctrl.expectOne('https://api.example.com/api/v1/leads');
    expect(req.request.headers.get('Authorization')).toBe('Bearer tok-123');
    req.flush({});
  });

  it('never sends the token to other hosts', () => {
    setup();
    http.get('https://recordings.example.com/a.mp3').subscribe();
    const req = ctrl.expectOne('https://recordings.example.com/a.mp3');
    expect(req.request.headers.has('Authorization')).toBe(false);
    req.flush('');
  });

  it('sends no header when signed out', () => {
    setup(false);
    http.get('/api/v1/agents').subscribe({ error: () => undefined });
    const req = ctrl.expectOne('/api/v1/agents');
    expect(req.request.headers.has('Authorization')).toBe(false);
    req.flush({});
  });

  it('maps a 401 to the login page, keeping the intended URL, and forgets the session', () => {
    setup();
    jest.spyOn(router, 'url', 'get').mockReturnValue('/leads?status=new');
    let failed = false;
    http.get('/api/v1/leads').subscribe({ error: () => (failed = true) });
    ctrl
      .expectOne('/api/v1/leads')
      .flush(
        { statusCode: 401, error: 'Unauthorized', message: 'Unauthorized' },
        { status: 401, statusText: 'Unauthorized' },
      );
    expect(failed).toBe(true);
    expect(router.navigate).toHaveBeenCalledWith(['/login'], {
      queryParams: { returnUrl: '/leads?status=new' },
    });
    expect(TestBed.inject(AuthStore).isAuthenticated()).toBe(false);
    expect(localStorage.getItem(SESSION_KEY)).toBeNull();
  });

  it('leaves a 401 from the login call to the login form', () => {
    setup(false);
    http.post('/api/v1/auth/login', {}).subscribe({ error: () => undefined });
    ctrl
      .expectOne('/api/v1/auth/login')
      .flush(
        { statusCode: 401, error: 'Unauthorized', message: 'bad' },
        { status: 401, statusText: 'Unauthorized' },
      );
    expect(router.navigate).not.toHaveBeenCalled();
  });

  it('leaves a 401 for a wrong password on an invitation link to the invitation page', () => {
    setup();
    http.post('/api/v1/auth/accept-invite', {}).subscribe({ error: () => undefined });
    ctrl
      .expectOne('/api/v1/auth/accept-invite')
      .flush(
        { statusCode: 401, error: 'Unauthorized', message: 'already has a password' },
        { status: 401, statusText: 'Unauthorized' },
      );
    expect(router.navigate).not.toHaveBeenCalled();
    expect(TestBed.inject(AuthStore).isAuthenticated()).toBe(true);
  });

  it("shows the API's message in a snackbar, joining lists", () => {
    setup();
    http.post('/api/v1/leads', {}).subscribe({ error: () => undefined });
    ctrl
      .expectOne('/api/v1/leads')
      .flush(
        { statusCode: 400, error: 'Bad Request', message: ['phone: required', 'email: invalid'] },
        { status: 400, statusText: 'Bad Request' },
      );
    expect(notifier.error).toHaveBeenCalledWith('phone: required; email: invalid');
  });

  it('shows a single string message as is', () => {
    setup();
    http.post('/api/v1/leads', {}).subscribe({ error: () => undefined });
    ctrl
      .expectOne('/api/v1/leads')
      .flush(
        { statusCode: 409, error: 'Conflict', message: 'A lead with this phone already exists' },
        { status: 409, statusText: 'Conflict' },
      );
    expect(notifier.error).toHaveBeenCalledWith('A lead with this phone already exists');
  });

  it('stays quiet when the caller shows errors itself', () => {
    setup();
    http
      .post('/api/v1/leads', {}, { context: new HttpContext().set(SILENT_ERRORS, true) })
      .subscribe({ error: () => undefined });
    ctrl
      .expectOne('/api/v1/leads')
      .flush(
        { statusCode: 400, error: 'Bad Request', message: 'x' },
        { status: 400, statusText: 'Bad Request' },
      );
    expect(notifier.error).not.toHaveBeenCalled();
  });
});
