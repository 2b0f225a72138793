import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { Router } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { App } from './app';
import { appConfig } from './app.config';
import { RuntimeConfig } from './core/runtime-config';

@Component({
  imports: [MatFormFieldModule, MatInputModule],
  template: `<mat-form-field><input matInput /></mat-form-field>`,
})
class FieldDialog {}

describe('appConfig', () => {
  it('gives form fields in dialogs the outline appearance, as on pages', async () => {
    TestBed.configureTestingModule({
      providers: [
        ...appConfig.providers,
        { provide: RuntimeConfig, useValue: { load: () => undefined } },
      ],
    });
    await firstValueFrom(TestBed.inject(MatDialog).open(FieldDialog).afterOpened());
    expect(document.querySelector('mat-form-field')?.className).toContain(
      'mat-form-field-appearance-outline',
    );
  });

  describe('a page whose code fails to download', () => {
    async function navigateTo(error: Error) {
      TestBed.configureTestingModule({
        providers: [
          ...appConfig.providers,
          {
            provide: RuntimeConfig,
            useValue: { load: () => undefined, config: () => ({ appName: 'ACC' }) },
          },
        ],
      });
      const fixture = TestBed.createComponent(App);
      const router = TestBed.inject(Router);
      router.resetConfig([
        { path: 'team', loadComponent: () => Promise.reject(error) },
        { path: '**', component: FieldDialog },
      ]);
      // Imperative navigations still reject; a routerLink click swallows that.
      const ok = await router.navigateByUrl('/team').catch(() => false);
      await fixture.whenStable();
      return { fixture, router, ok, alert: () => document.querySelector('[role=alert]') };
    }

    it('says so with a Reload action instead of doing nothing', async () => {
      const { alert, ok } = await navigateTo(
        new TypeError('Failed to fetch dynamically imported module: http://x/chunk-AB12.js'),
      );
      expect(ok).toBe(false);
      expect(alert()?.textContent).toContain(
        'This page could not be loaded. Reload to get the latest version.',
      );
      expect(alert()?.querySelector('button')?.textContent).toBe('Reload');
    });

    it('drops the message once another page loads', async () => {
      const { alert, router, fixture } = await navigateTo(
        new TypeError('Importing a module script failed.'),
      );
      expect(alert()).not.toBeNull();
      await router.navigateByUrl('/other');
      await fixture.whenStable();
      expect(alert()).toBeNull();
    });

    it('is not claimed for other navigation errors', async () => {
      const { alert } = await navigateTo(new Error('guard exploded'));
      expect(alert()).toBeNull();
    });
  });
});
