import { ChangeDetectionStrategy, Component } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { RouterLink } from '@angular/router';
import { Empty } from '../../shared/states';

@Component({
  selector: 'app-not-found-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [Empty, MatButtonModule, RouterLink],
  template: `
    <div class="page">
      <app-empty
        icon="error"
        title="Page not found"
        message="There is nothing at this address."
        pageHeading
      >
        <a mat-flat-button routerLink="/dashboard">Go to the dashboard</a>
      </app-empty>
    </div>
  `,
})
export class NotFoundPage {}
