import { RuntimeConfig } from './runtime-config';

const respond = (body: unknown, ok = true) =>
  jest.fn().mockResolvedValue({ ok, status: ok ? 200 : 404, json: async () => body });

describe('RuntimeConfig', () => {
  beforeEach(() => jest.spyOn(console, 'warn').mockImplementation(() => undefined));

  it('loads /config.json', async () => {
    const cfg = new RuntimeConfig();
    const fetchFn = respond({
      apiUrl: 'https://api.example.com/',
      appName: 'Calls',
      appVersion: '1.2.3',
    });
    await cfg.load(fetchFn as unknown as typeof fetch);
    expect(fetchFn).toHaveBeenCalledWith('/config.json', { cache: 'no-store' });
    expect(cfg.config()).toEqual({
      apiUrl: 'https://api.example.com/',
      appName: 'Calls',
      appVersion: '1.2.3',
    });
    expect(cfg.url('/api/v1/agents')).toBe('https://api.example.com/api/v1/agents');
    expect(cfg.isApiUrl('https://api.example.com/api/v1/agents')).toBe(true);
    expect(cfg.isApiUrl('https://other.example.com/api/v1/agents')).toBe(false);
    expect(document.title).toBe('Calls');
  });

  it('falls back to same origin when the file is missing', async () => {
    const cfg = new RuntimeConfig();
    await cfg.load(respond({}, false) as unknown as typeof fetch);
    expect(cfg.apiUrl).toBe('');
    expect(cfg.url('/api/v1/agents')).toBe('/api/v1/agents');
    expect(cfg.isApiUrl('/api/v1/agents')).toBe(true);
    expect(cfg.isApiUrl('/config.json')).toBe(false);
  });

  it('ignores fields of the wrong type', async () => {
    const cfg = new RuntimeConfig();
    await cfg.load(respond({ apiUrl: 42, appName: '' }) as unknown as typeof fetch);
    expect(cfg.config().apiUrl).toBe('');
    expect(cfg.config().appName).toBe('AI Call Center');
  });
});
