import type { Page } from '@playwright/test';

/**
 * What sticks out sideways: the page scrolling, any scroll container scrolling, and anything
 * (outside overlays) ending right of the screen, e.g. clipped by an overflow: hidden parent.
 */
export async function sideways(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const name = (el: Element) =>
      el.tagName.toLowerCase() +
      (el.getAttribute('data-testid') ? `[${el.getAttribute('data-testid')}]` : '') +
      (el.classList.length ? '.' + [...el.classList].slice(0, 2).join('.') : '') +
      ` "${(el.textContent ?? '').trim().slice(0, 40)}"`;
    const doc = document.scrollingElement ?? document.documentElement;
    const width = doc.clientWidth;
    if (doc.scrollWidth > width) out.push(`page: scrollWidth ${doc.scrollWidth} > ${width}`);
    for (const el of document.querySelectorAll<HTMLElement>('body *')) {
      if (el.closest('.cdk-overlay-container, .cdk-visually-hidden, .skip-link')) continue;
      const box = el.getBoundingClientRect();
      if (!box.width || !box.height) continue;
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden') continue;
      if (
        (style.overflowX === 'auto' || style.overflowX === 'scroll') &&
        el.scrollWidth > el.clientWidth + 1
      ) {
        out.push(`${name(el)}: scrollWidth ${el.scrollWidth} > clientWidth ${el.clientWidth}`);
      } else if (box.right > width + 1) {
        out.push(`${name(el)}: ends at ${Math.round(box.right)} px`);
      }
    }
    return out;
  });
}

/**
 * Hint and error text that runs into something else: another field (its box or the label an
 * outlined field floats above its border), a button, a checkbox. Measured on the text's own lines
 * (a Range), not its box.
 */
export async function overlaps(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const visible = (e: Element) => {
      const r = e.getBoundingClientRect();
      return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden';
    };
    const name = (e: Element) =>
      `${e.tagName.toLowerCase()} "${(e.textContent ?? '').trim().slice(0, 30)}"`;
    const texts = [...document.querySelectorAll('mat-error, mat-hint')].filter(
      (t) => visible(t) && t.textContent?.trim(),
    );
    const obstacles = [
      ...document.querySelectorAll(
        '.mat-mdc-form-field, .mdc-floating-label, button, a.mat-mdc-button-base, mat-checkbox, mat-radio-button',
      ),
    ]
      .filter(visible)
      // a sticky or fixed bar (a save bar) covers the page scrolling under it by design
      .filter((o) => {
        for (let e: Element | null = o; e; e = e.parentElement) {
          const p = getComputedStyle(e).position;
          if (p === 'sticky' || p === 'fixed') return false;
        }
        return true;
      });
    for (const t of texts) {
      const own = t.closest('.mat-mdc-form-field');
      const range = document.createRange();
      range.selectNodeContents(t);
      const lines = [...range.getClientRects()].filter((r) => r.width > 0);
      for (const o of obstacles) {
        if (o === own || own?.contains(o) || o.contains(t)) continue;
        // a dialog's text and the page under the dialog are not side by side
        if (o.closest('.cdk-overlay-pane') !== t.closest('.cdk-overlay-pane')) continue;
        const b = o.getBoundingClientRect();
        const hit = lines.some(
          (r) =>
            r.left < b.right - 1 &&
            r.right > b.left + 1 &&
            r.top < b.bottom - 1 &&
            r.bottom > b.top + 1,
        );
        if (hit) out.push(`${name(t)} runs into ${name(o)}`);
      }
    }
    return out;
  });
}
