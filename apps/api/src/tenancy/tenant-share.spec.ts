import { PoolBusyError, TenantShare, TenantShareTimeoutError } from './tenant-share';

const aSlot = { release: expect.any(Function), moveTo: expect.any(Function) };

describe('TenantShare: a tenant queues behind its own share, never in front of others', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  /** Resolves in the order given; what has been admitted so far is in `order`. */
  const queue = (share: TenantShare, order: string[], ...names: string[]) =>
    names.map((name) =>
      share.acquire(name[0] === '-' ? undefined : name[0]).then((s) => (order.push(name), s)),
    );

  it('grants up to max per tenant at once; others are not affected', async () => {
    const share = new TenantShare(2, 10, 1_000);
    await share.acquire('a');
    await share.acquire('a');
    let third = false;
    void share.acquire('a').then(() => (third = true));
    // another tenant is granted at once while a waits
    await expect(share.acquire('b')).resolves.toEqual(aSlot);
    await Promise.resolve();
    expect(third).toBe(false);
    expect(share.stats()).toEqual({ tenantsAtShare: 1, waiting: 1 });
  });

  it('a release hands the slot to the first in line, in order', async () => {
    const share = new TenantShare(1, 10, 1_000);
    const slot = await share.acquire('a');
    const order: number[] = [];
    const second = share.acquire('a').then((r) => (order.push(2), r));
    const third = share.acquire('a').then((r) => (order.push(3), r));
    slot.release();
    slot.release(); // twice is once
    (await second).release();
    (await third).release();
    expect(order).toEqual([2, 3]);
    expect(share.stats()).toEqual({ tenantsAtShare: 0, waiting: 0 });
  });

  it('a wait past waitMs fails with a 503 and leaves the queue', async () => {
    const share = new TenantShare(1, 10, 1_000);
    const slot = await share.acquire('a');
    const waiting = share.acquire('a');
    jest.advanceTimersByTime(1_000);
    await expect(waiting).rejects.toBeInstanceOf(TenantShareTimeoutError);
    expect(new TenantShareTimeoutError().getStatus()).toBe(503);
    expect(share.stats()).toEqual({ tenantsAtShare: 1, waiting: 0 });
    slot.release();
    expect(share.stats()).toEqual({ tenantsAtShare: 0, waiting: 0 });
    await expect(share.acquire('a')).resolves.toEqual(aSlot);
  });

  it('admits at most poolMax at once; a full pool queues everyone in order of arrival, with no tenant too', async () => {
    const share = new TenantShare(2, 2, 1_000);
    const held = await Promise.all([share.acquire('a'), share.acquire(undefined)]);
    const order: string[] = [];
    const waiting = queue(share, order, 'b1', '-1', 'c1', 'd1');
    await Promise.resolve();
    expect(order).toEqual([]);
    expect(share.stats()).toEqual({ tenantsAtShare: 0, waiting: 0 });
    expect(share.waitingForPool()).toBe(4);
    held[1].release();
    await waiting[0];
    held[0].release();
    await waiting[1];
    expect(order).toEqual(['b1', '-1']);
    (await waiting[0]).release();
    (await waiting[2]).release();
    (await waiting[3]).release();
    expect(order).toEqual(['b1', '-1', 'c1', 'd1']);
    (await waiting[1]).release();
    expect(share.waitingForPool()).toBe(0);
  });

  it('one that waited for its share keeps its place: it is admitted before those that came after it', async () => {
    const share = new TenantShare(1, 2, 1_000);
    const a1 = await share.acquire('a');
    const b1 = await share.acquire('b');
    const order: string[] = [];
    const waiting = queue(share, order, 'a2', 'c1');
    // a's place frees both a's share and a place in the pool: a2 came first
    a1.release();
    await waiting[0];
    await Promise.resolve();
    expect(order).toEqual(['a2']);
    b1.release();
    await waiting[1];
    expect(order).toEqual(['a2', 'c1']);
  });

  it('a tenant at its share does not hold up the others: a free place goes to the earliest whose tenant has room', async () => {
    const share = new TenantShare(1, 2, 1_000);
    const a1 = await share.acquire('a');
    const b1 = await share.acquire('b');
    const order: string[] = [];
    const waiting = queue(share, order, 'a2', 'c1');
    b1.release();
    await waiting[1];
    await Promise.resolve();
    expect(order).toEqual(['c1']);
    expect(share.stats()).toEqual({ tenantsAtShare: 2, waiting: 1 });
    a1.release();
    await waiting[0];
    expect(order).toEqual(['c1', 'a2']);
  });

  it('a full pool past waitMs answers 503 "busy", not the tenant\'s share', async () => {
    const share = new TenantShare(2, 1, 1_000);
    const held = await share.acquire('a');
    const waiting = share.acquire('b');
    jest.advanceTimersByTime(1_000);
    await expect(waiting).rejects.toBeInstanceOf(PoolBusyError);
    expect(new PoolBusyError().getStatus()).toBe(503);
    expect(share.stats()).toEqual({ tenantsAtShare: 0, waiting: 0 });
    held.release();
  });

  it("moveTo counts a place in another tenant's share when it has room, and frees the first one's", async () => {
    const share = new TenantShare(1, 10, 1_000);
    const untagged = await share.acquire(undefined);
    expect(untagged.moveTo('a')).toBe(true);
    expect(share.stats()).toMatchObject({ tenantsAtShare: 1 });
    const order: string[] = [];
    const [a2] = queue(share, order, 'a2');
    const b1 = await share.acquire('b');
    expect(b1.moveTo('a')).toBe(false); // a's share is full: b1 stays b's
    expect(share.stats()).toEqual({ tenantsAtShare: 2, waiting: 1 });
    b1.release();
    // counted for the wrong tenant (a key's hint): moving it to b frees a's place for a2
    expect(untagged.moveTo('b')).toBe(true);
    await a2;
    expect(order).toEqual(['a2']);
    untagged.release();
    (await a2).release();
    expect(share.stats()).toEqual({ tenantsAtShare: 0, waiting: 0 });
  });
});
