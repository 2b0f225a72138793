import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { Agent } from '@acc/contracts';
import { AgentDirectory } from './agent-directory';
import { RuntimeConfig } from './runtime-config';

const agent = (name: string) => ({ id: 'a1', name }) as Agent;

describe('AgentDirectory', () => {
  let dir: AgentDirectory;
  let http: HttpTestingController;
  const answer = (name: string) =>
    http
      .expectOne((r) => r.url === '/api/v1/agents')
      .flush({ data: [agent(name)], nextCursor: null });

  beforeEach(() => {
    localStorage.clear();
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    TestBed.inject(RuntimeConfig).set({ apiUrl: '' });
    dir = TestBed.inject(AgentDirectory);
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  it('fetches once, then again after refresh() so a renamed agent shows its new name', () => {
    dir.ensure();
    answer('Ava');
    dir.ensure();
    http.expectNone('/api/v1/agents');
    dir.refresh();
    answer('Ava Prime');
    expect(dir.name('a1')).toBe('Ava Prime');
  });

  it('keeps the newest fetch when an older one answers last', () => {
    dir.ensure();
    dir.refresh();
    const [older, newer] = http.match((r) => r.url === '/api/v1/agents');
    newer.flush({ data: [agent('New')], nextCursor: null });
    older.flush({ data: [agent('Old')], nextCursor: null });
    expect(dir.name('a1')).toBe('New');
  });

  it('does not fetch on refresh() when nothing has asked for the list yet', () => {
    dir.refresh();
    http.expectNone('/api/v1/agents');
  });
});
