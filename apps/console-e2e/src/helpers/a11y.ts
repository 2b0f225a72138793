import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';

/**
 * Rules that fail a screen whatever axe's impact says: every page has a main region and all of
 * its content in landmarks, no table header cell is empty, and a control's accessible name
 * contains the text it shows (the avatar button says "OO": its name must say so too).
 */
const ALWAYS = new Set([
  'region',
  'landmark-one-main',
  'landmark-no-duplicate-main',
  'empty-table-header',
  'label-content-name-mismatch',
]);

/**
 * axe-core's serious and critical findings (WCAG 2.1 A and AA and axe's best practices) and the
 * rules above, on the page as it is, one line each (rule, impact, the first elements), so a
 * failing run says what to fix.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    // experimental in axe, so off unless asked for
    .options({ rules: { 'label-content-name-mismatch': { enabled: true } } })
    .analyze();
  return result.violations
    .map((v) =>
      // an open menu's panel is a popup (role="menu", announced from its trigger), not page
      // content outside a landmark
      v.id === 'region'
        ? { ...v, nodes: v.nodes.filter((n) => !n.target.join(' ').includes('cdk-overlay')) }
        : v,
    )
    .filter((v) => v.nodes.length)
    .filter((v) => v.impact === 'serious' || v.impact === 'critical' || ALWAYS.has(v.id))
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} - ${v.nodes
          .slice(0, 4)
          .map((n) => `${n.target.join(' ')} ${n.failureSummary?.split('\n')[1]?.trim() ?? ''}`)
          .join('; ')}${v.nodes.length > 4 ? ` and ${v.nodes.length - 4} more` : ''}`,
    );
}
