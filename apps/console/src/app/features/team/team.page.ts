import { Component } from '@angular/core';
@Component({ selector: 'app-team-page', template: '' })
export class TeamPage {}
