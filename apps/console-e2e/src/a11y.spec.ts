import { expect as baseExpect, test, type BrowserContext, type Page } from '@playwright/test';
import { axeViolations } from './helpers/a11y';
import { Api, type Account } from './helpers/api';
import { seedEveryList } from './helpers/seed';
import { signIn } from './helpers/ui';

/**
 * axe-core on every screen (and the new-record dialogs and the menus), at 1440 and 390 px, in the
 * light and the dark theme: no serious or critical finding. One tenant with something in every
 * list, signed in once; each screen is a test of its own, so a run names every screen at fault.
 */
// axe takes seconds per run on a busy machine, and each screen gets four runs; a shared machine
// can take 12 s from a reload to a screen's data
test.describe.configure({ timeout: 180_000 });
const expect = baseExpect.configure({ timeout: 30_000 });

type Ids = Awaited<ReturnType<typeof seedEveryList>>;
interface Screen {
  name: string;
  signedOut?: boolean;
  /** checked at 390 px too: its layout differs on a phone (cards, a menu button) */
  phone?: boolean;
  open: (page: Page, ids: Ids) => Promise<void>;
}

const tid = (page: Page, id: string) => page.getByTestId(id).first();

const SCREENS: Screen[] = [
  {
    name: 'login',
    phone: true,
    signedOut: true,
    open: async (p) => {
      await p.goto('/login');
      await expect(tid(p, 'login-email')).toBeVisible();
    },
  },
  {
    name: 'signup',
    signedOut: true,
    open: async (p) => {
      await p.goto('/signup');
      await expect(tid(p, 'signup-email')).toBeVisible();
    },
  },
  {
    name: 'forgot-password',
    signedOut: true,
    open: async (p) => {
      await p.goto('/forgot-password');
      await expect(tid(p, 'forgot-email')).toBeVisible();
    },
  },
  {
    name: 'reset-password with a dead link',
    signedOut: true,
    open: async (p) => {
      await p.goto('/reset-password?token=not-a-real-token');
      await expect(tid(p, 'reset-link-dead')).toBeVisible();
    },
  },
  {
    name: 'dashboard',
    phone: true,
    open: async (p) => {
      await p.goto('/dashboard');
      await expect(tid(p, 'stat-calls')).toBeVisible();
    },
  },
  {
    name: 'agents',
    phone: true,
    open: async (p) => {
      await p.goto('/agents');
      await expect(tid(p, 'agent-row')).toBeVisible();
    },
  },
  {
    name: 'agent menu',
    open: async (p) => {
      await p.goto('/agents');
      await tid(p, 'agent-actions').click();
      await expect(tid(p, 'agent-pause')).toBeVisible();
    },
  },
  {
    name: 'agent editor',
    open: async (p, ids) => {
      await p.goto(`/agents/${ids.agent.id}`);
      await expect(tid(p, 'agent-name')).toHaveValue(/Ava/);
    },
  },
  {
    name: 'leads',
    phone: true,
    open: async (p) => {
      await p.goto('/leads');
      await expect(tid(p, 'lead-row')).toBeVisible();
    },
  },
  {
    name: 'new lead dialog',
    open: async (p) => {
      await p.goto('/leads');
      await tid(p, 'new-lead').click();
      await expect(tid(p, 'lead-first-name')).toBeVisible();
    },
  },
  {
    name: 'lead',
    phone: true,
    open: async (p, ids) => {
      await p.goto(`/leads/${ids.lead.id}`);
      await expect(tid(p, 'call-row')).toBeVisible();
    },
  },
  {
    name: 'calls',
    phone: true,
    open: async (p) => {
      await p.goto('/calls');
      await expect(tid(p, 'call-row')).toBeVisible();
    },
  },
  {
    name: 'call',
    open: async (p, ids) => {
      await p.goto(`/calls/${ids.call.id}`);
      await expect(tid(p, 'call-status')).toBeVisible();
    },
  },
  {
    name: 'campaigns',
    phone: true,
    open: async (p) => {
      await p.goto('/campaigns');
      await expect(tid(p, 'campaign-row')).toBeVisible();
    },
  },
  {
    name: 'campaign',
    phone: true,
    open: async (p, ids) => {
      await p.goto(`/campaigns/${ids.campaign.id}`);
      await expect(tid(p, 'campaign-lead-row')).toBeVisible();
    },
  },
  {
    name: 'new campaign',
    open: async (p) => {
      await p.goto('/campaigns/new');
      await expect(tid(p, 'campaign-name')).toBeVisible();
    },
  },
  {
    name: 'team',
    phone: true,
    open: async (p) => {
      await p.goto('/team');
      await expect(tid(p, 'member-row')).toBeVisible();
    },
  },
  {
    name: 'invite dialog',
    open: async (p) => {
      await p.goto('/team');
      await tid(p, 'invite-member').click();
      await expect(tid(p, 'invite-email')).toBeVisible();
    },
  },
  {
    name: 'settings',
    phone: true,
    open: async (p) => {
      await p.goto('/settings');
      await expect(tid(p, 'api-key-row')).toBeVisible();
    },
  },
  {
    name: 'webhooks',
    phone: true,
    open: async (p) => {
      await p.goto('/settings/webhooks');
      await expect(tid(p, 'webhook-row')).toBeVisible();
    },
  },
  {
    name: 'audit log',
    phone: true,
    open: async (p) => {
      await p.goto('/settings/audit');
      await expect(tid(p, 'audit-event')).toBeVisible();
    },
  },
  {
    name: 'account menu',
    open: async (p) => {
      await p.goto('/dashboard');
      await tid(p, 'user-menu').click();
      await expect(tid(p, 'sign-out')).toBeVisible();
    },
  },
  {
    name: 'not found',
    open: async (p) => {
      await p.goto('/no-such-screen');
      await expect(p.locator('main h1')).toBeVisible();
    },
  },
];

let ids: Ids;
let signedIn: Awaited<ReturnType<BrowserContext['storageState']>>;

test.beforeAll(async ({ browser, playwright }) => {
  const request = await playwright.request.newContext();
  const api = new Api(request);
  const owner: Account = await api.signup();
  ids = await seedEveryList(api);
  await request.dispose();
  const context = await browser.newContext();
  await signIn(await context.newPage(), owner.email, owner.password);
  signedIn = await context.storageState();
  await context.close();
});

for (const screen of SCREENS) {
  test(`${screen.name}: no serious axe finding, light or dark${screen.phone ? ', laptop or phone' : ''}`, async ({
    browser,
  }) => {
    const sizes = [
      { width: 1440, height: 900 },
      ...(screen.phone ? [{ width: 390, height: 844 }] : []),
    ];
    for (const size of sizes) {
      const context = await browser.newContext({
        viewport: size,
        storageState: screen.signedOut ? undefined : signedIn,
        colorScheme: 'light',
        reducedMotion: 'reduce',
      });
      const page = await context.newPage();
      try {
        await screen.open(page, ids);
        expect.soft(await axeViolations(page), `${size.width} px, light`).toEqual([]);
        await page.emulateMedia({ colorScheme: 'dark' });
        expect.soft(await axeViolations(page), `${size.width} px, dark`).toEqual([]);
      } finally {
        await context.close();
      }
    }
  });
}

/**
 * Everything Tab reaches shows where focus is: an outline of at least 2 px on the element (on
 * the drawn box for a checkbox or radio), or, in a form field, Material's focused outline.
 */
const RING_SCREENS = ['login', 'leads', 'team', 'settings', 'agent editor'];
for (const name of RING_SCREENS) {
  test(`${name}: a visible focus ring on everything Tab reaches`, async ({ browser }) => {
    const screen = SCREENS.find((s) => s.name === name);
    if (!screen) throw new Error(`no screen ${name}`);
    const context = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      storageState: screen.signedOut ? undefined : signedIn,
    });
    const page = await context.newPage();
    try {
      await screen.open(page, ids);
      const missing = new Set<string>();
      let reached = 0;
      for (let i = 0; i < 30; i++) {
        await page.keyboard.press('Tab');
        const fault = await page.evaluate(() => {
          const el = document.activeElement as HTMLElement | null;
          if (!el || el === document.body) return null;
          const what =
            el.tagName.toLowerCase() +
            (el.getAttribute('data-testid') ? `[${el.getAttribute('data-testid')}]` : '') +
            ` "${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 30)}"`;
          const field = el.closest('.mat-mdc-form-field');
          if (field) return field.classList.contains('mat-focused') ? '' : what;
          const box = el.matches('input[type=checkbox], input[type=radio]')
            ? (el
                .closest('.mat-mdc-checkbox, .mat-mdc-radio-button')
                ?.querySelector<HTMLElement>('.mdc-checkbox__background, .mdc-radio__background') ??
              el)
            : el;
          const s = getComputedStyle(box);
          const ring =
            s.outlineStyle !== 'none' &&
            parseFloat(s.outlineWidth) >= 2 &&
            s.outlineColor !== 'rgba(0, 0, 0, 0)';
          return ring ? '' : what;
        });
        if (fault === null) continue;
        reached++;
        if (fault) missing.add(fault);
      }
      expect(reached, 'Tab reaches something').toBeGreaterThan(3);
      expect([...missing], 'focused without a visible ring').toEqual([]);
    } finally {
      await context.close();
    }
  });
}
