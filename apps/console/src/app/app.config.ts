import { provideHttpClient, withInterceptors } from '@angular/common/http';
import {
  ApplicationConfig,
  inject,
  provideAppInitializer,
  provideBrowserGlobalErrorListeners,
  provideZonelessChangeDetection,
} from '@angular/core';
import { MAT_FORM_FIELD_DEFAULT_OPTIONS } from '@angular/material/form-field';
import {
  TitleStrategy,
  provideRouter,
  withComponentInputBinding,
  withInMemoryScrolling,
  withNavigationErrorHandler,
  withPreloading,
  withRouterConfig,
} from '@angular/router';
import { appRoutes } from './app.routes';
import { authInterceptor } from './core/auth.interceptor';
import { IdlePreloading } from './core/idle-preloading';
import { LoadFailure } from './core/load-failure';
import { RuntimeConfig } from './core/runtime-config';
import { AppTitleStrategy } from './core/title-strategy';

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideZonelessChangeDetection(),
    provideAppInitializer(() => inject(RuntimeConfig).load()),
    provideHttpClient(withInterceptors([authInterceptor])),
    provideRouter(
      appRoutes,
      withComponentInputBinding(),
      withInMemoryScrolling({ scrollPositionRestoration: 'top' }),
      // A page whose chunk fails to download (server down, new release) says so.
      withNavigationErrorHandler((e) => inject(LoadFailure).navigationFailed(e)),
      // the other screens' code, once the page has its data: a click waits for data only
      withPreloading(IdlePreloading),
      // Back refused by a guard (unsaved changes) puts the history where it was, not one step off.
      withRouterConfig({ canceledNavigationResolution: 'computed' }),
    ),
    { provide: TitleStrategy, useClass: AppTitleStrategy },
    // At the root, not on the lazy route: dialogs get their injector from the root, not the route.
    // Dynamic subscripts: a hint or error of two lines pushes the next field down instead of
    // running into its label (styles.scss keeps one line's room and a clearance).
    {
      provide: MAT_FORM_FIELD_DEFAULT_OPTIONS,
      useValue: { appearance: 'outline', subscriptSizing: 'dynamic' },
    },
  ],
};
