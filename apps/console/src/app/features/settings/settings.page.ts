import { Component } from '@angular/core';
@Component({ selector: 'app-settings-page', template: '' })
export class SettingsPage {}
