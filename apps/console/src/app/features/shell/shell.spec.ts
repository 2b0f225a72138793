import { provideHttpClient } from '@angular/common/http';
import { provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideNoopAnimations } from '@angular/platform-browser/animations';
import { provideRouter } from '@angular/router';
import { signInAs } from '../../testing/session';
import { Shell } from './shell';

describe('Shell: skip to content', () => {
  it('is the first focusable element and moves focus to the page', async () => {
    TestBed.configureTestingModule({
      imports: [Shell],
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
        provideNoopAnimations(),
      ],
    });
    signInAs('admin');
    const fixture = TestBed.createComponent(Shell);
    await fixture.whenStable();
    const el = fixture.nativeElement as HTMLElement;
    document.body.appendChild(el);
    const first = el.querySelector('a[href], button, input, [tabindex]:not([tabindex="-1"])');
    expect(first?.textContent?.trim()).toBe('Skip to content');
    (first as HTMLAnchorElement).click();
    expect(document.activeElement).toBe(el.querySelector('main'));
  });
});
