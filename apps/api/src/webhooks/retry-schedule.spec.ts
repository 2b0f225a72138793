import { attemptLeasesMs, retryDelayMs } from './retry-schedule';

describe('webhook retry schedule', () => {
  it('grows fourfold per attempt: with the defaults eight attempts span about a day', () => {
    const middle = () => 0.5;
    const delays = [1, 2, 3, 4, 5, 6, 7].map((n) => retryDelayMs(n, 15_000, middle));
    expect(delays).toEqual([15_000, 60_000, 240_000, 960_000, 3_840_000, 15_360_000, 61_440_000]);
    const hours = delays.reduce((a, b) => a + b, 0) / 3_600_000;
    expect(hours).toBeGreaterThan(20);
    expect(hours).toBeLessThan(30);
  });

  it('jitters each delay by up to a quarter either way', () => {
    expect(retryDelayMs(3, 1_000, () => 0)).toBe(12_000);
    expect(retryDelayMs(3, 1_000, () => 0.999_999)).toBe(20_000);
  });

  it('holds each attempt for its timeout plus its delay', () => {
    expect(attemptLeasesMs(3, 100, 10_000, () => 0.5)).toEqual([10_100, 10_400, 11_600]);
  });
});
