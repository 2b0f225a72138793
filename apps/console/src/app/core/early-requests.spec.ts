import {
  HttpClient,
  provideHttpClient,
  withInterceptors,
  ɵREQUESTS_CONTRIBUTE_TO_STABILITY as REQUESTS_CONTRIBUTE_TO_STABILITY,
} from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ApplicationRef } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { authInterceptor } from './auth.interceptor';
import { AuthStore } from './auth.store';
import { EarlyRequests, earlyRequestsInterceptor } from './early-requests';
import { Notifier } from './notifier';
import { RuntimeConfig } from './runtime-config';
import { signInAs } from '../testing/session';

const PAGE = '/leads?status=new';
const LEADS = '/api/v1/leads?limit=50&status=new';
const ME = '/api/v1/auth/me';

describe('EarlyRequests: a page reloaded gets its reads started at startup', () => {
  let ctrl: HttpTestingController;
  let router: Router;

  /** One page load: a new app (services, router) in the same tab (sessionStorage). */
  function load(replay = true) {
    TestBed.resetTestingModule();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([earlyRequestsInterceptor, authInterceptor])),
        provideHttpClientTesting(),
        // as in the browser: a request in flight keeps the app unstable (the testing module
        // turns that off)
        { provide: REQUESTS_CONTRIBUTE_TO_STABILITY, useValue: true },
        provideRouter([{ path: '**', children: [] }]),
        { provide: Notifier, useValue: { error: jest.fn(), success: jest.fn() } },
      ],
    });
    TestBed.inject(RuntimeConfig).set({});
    signInAs('admin');
    ctrl = TestBed.inject(HttpTestingController);
    router = TestBed.inject(Router);
    TestBed.inject(EarlyRequests).start(PAGE, replay);
  }

  /** What the page asks once its code has loaded. */
  function pageReads() {
    const http = TestBed.inject(HttpClient);
    const got: unknown[] = [];
    http.get(ME).subscribe((b) => got.push(b));
    http
      .get('/api/v1/leads', { params: { limit: 50, status: 'new' } })
      .subscribe((b) => got.push(b));
    return got;
  }

  /** The first load of the page in this tab: nothing early; its reads are noted. */
  function firstLoad() {
    load();
    pageReads();
    ctrl.expectOne(ME).flush({ me: 1 });
    ctrl.expectOne(LEADS).flush({ leads: 1 });
    TestBed.inject(EarlyRequests).settle();
  }

  beforeEach(() => sessionStorage.clear());
  afterEach(() => ctrl.verify());

  it('asks again at startup what the page asked last time; the page takes those answers', () => {
    firstLoad();
    load();
    // before the page's code has run: already asked, with the token
    const early = ctrl.expectOne(LEADS);
    expect(early.request.headers.get('Authorization')).toBe('Bearer t');
    ctrl.expectOne(ME).flush({ me: 2 });
    early.flush({ leads: 2 });
    // the page's own requests send nothing more and get the early answers
    expect(pageReads()).toEqual([{ me: 2 }, { leads: 2 }]);
    ctrl.expectNone(LEADS);
  });

  it('starts nothing for a page not opened before in this tab, or when not signed in', () => {
    firstLoad();
    load(false);
    ctrl.expectNone(LEADS);
    sessionStorage.clear();
    load();
    ctrl.expectNone(LEADS);
  });

  it('hands an answer over once: a second read of the same URL goes to the API', () => {
    firstLoad();
    load();
    ctrl.expectOne(ME).flush({ me: 2 });
    ctrl.expectOne(LEADS).flush({ leads: 2 });
    pageReads();
    pageReads();
    ctrl.expectOne(ME).flush({ me: 3 });
    ctrl.expectOne(LEADS).flush({ leads: 3 });
  });

  it('asks the API again when the early request failed', () => {
    firstLoad();
    load();
    ctrl.expectOne(ME).flush({ me: 2 });
    ctrl.expectOne(LEADS).flush({}, { status: 503, statusText: 'Service Unavailable' });
    const got = pageReads();
    ctrl.expectOne(LEADS).flush({ leads: 3 });
    expect(got).toEqual([{ me: 2 }, { leads: 3 }]);
  });

  it('drops the answers not taken when anything is written first', () => {
    firstLoad();
    load();
    ctrl.expectOne(ME).flush({ me: 2 });
    ctrl.expectOne(LEADS).flush({ leads: 2 });
    TestBed.inject(HttpClient).post('/api/v1/leads', {}).subscribe();
    ctrl.expectOne({ method: 'POST', url: '/api/v1/leads' }).flush({});
    pageReads();
    ctrl.expectOne(ME).flush({ me: 3 });
    ctrl.expectOne(LEADS).flush({ leads: 3 });
  });

  it('notes the reads made until the first navigation is over and none is in flight', async () => {
    load();
    const got = pageReads();
    await router.navigateByUrl(PAGE);
    ctrl.expectOne(ME).flush({ me: 1 });
    expect(sessionStorage.length).toBe(0); // the list is still loading
    ctrl.expectOne(LEADS).flush({ leads: 1 });
    await TestBed.inject(ApplicationRef).whenStable();
    expect(got).toHaveLength(2);
    load();
    ctrl.expectOne(ME).flush({});
    ctrl.expectOne(LEADS).flush({});
  });

  it('a 401 on an early request signs out and goes to the login page', async () => {
    firstLoad();
    load();
    const navigate = jest.spyOn(router, 'navigate').mockResolvedValue(true);
    ctrl.expectOne(ME).flush({}, { status: 401, statusText: 'Unauthorized' });
    ctrl.expectOne(LEADS).flush({}, { status: 401, statusText: 'Unauthorized' });
    expect(TestBed.inject(AuthStore).isAuthenticated()).toBe(false);
    expect(navigate).toHaveBeenCalledWith(['/login'], expect.anything());
  });
});
