import { TenantShare, TenantShareTimeoutError } from './tenant-share';

describe('TenantShare: a tenant queues behind its own share, never in front of others', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('grants up to max per tenant at once; others are not affected', async () => {
    const share = new TenantShare(2, 1_000);
    await share.acquire('a');
    await share.acquire('a');
    let third = false;
    void share.acquire('a').then(() => (third = true));
    // another tenant is granted at once while a waits
    await expect(share.acquire('b')).resolves.toBeInstanceOf(Function);
    await Promise.resolve();
    expect(third).toBe(false);
    expect(share.stats()).toEqual({ tenantsAtShare: 1, waiting: 1 });
  });

  it('a release hands the slot to the first in line, in order', async () => {
    const share = new TenantShare(1, 1_000);
    const release = await share.acquire('a');
    const order: number[] = [];
    const second = share.acquire('a').then((r) => (order.push(2), r));
    const third = share.acquire('a').then((r) => (order.push(3), r));
    release();
    release(); // twice is once
    (await second)();
    (await third)();
    expect(order).toEqual([2, 3]);
    expect(share.stats()).toEqual({ tenantsAtShare: 0, waiting: 0 });
  });

  it('a wait past waitMs fails with a 503 and leaves the queue', async () => {
    const share = new TenantShare(1, 1_000);
    const release = await share.acquire('a');
    const waiting = share.acquire('a');
    jest.advanceTimersByTime(1_000);
    await expect(waiting).rejects.toBeInstanceOf(TenantShareTimeoutError);
    expect(new TenantShareTimeoutError().getStatus()).toBe(503);
    expect(share.stats()).toEqual({ tenantsAtShare: 1, waiting: 0 });
    release();
    expect(share.stats()).toEqual({ tenantsAtShare: 0, waiting: 0 });
    await expect(share.acquire('a')).resolves.toBeInstanceOf(Function);
  });

  it('tryAcquire takes a free slot at once, and never queues', async () => {
    const share = new TenantShare(1, 1_000);
    const release = share.tryAcquire('a');
    expect(release).toBeInstanceOf(Function);
    expect(share.tryAcquire('a')).toBeNull();
    expect(share.stats()).toEqual({ tenantsAtShare: 1, waiting: 0 });
    release?.();
    expect(share.stats()).toEqual({ tenantsAtShare: 0, waiting: 0 });
  });
});
