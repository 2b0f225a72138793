import { bootstrapApplication } from '@angular/platform-browser';
import { appConfig } from './app/app.config';
import { App } from './app/app';
import { loadScreenCode } from './app/early-code';

loadScreenCode(location.pathname);
bootstrapApplication(App, appConfig).catch((err) => console.error(err));
