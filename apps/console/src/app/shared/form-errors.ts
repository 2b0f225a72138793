import { ChangeDetectionStrategy, Component, input } from '@angular/core';

/** Form-level messages (issues no single field owns), above a form; nothing when there are none. */
@Component({
  selector: 'app-form-errors',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (errors().length) {
      <div class="form-errors" role="alert">
        @for (e of errors(); track $index) {
          <p>{{ e }}</p>
        }
      </div>
    }
  `,
  styles: `
    :host {
      display: contents;
    }
  `,
})
export class FormErrors {
  readonly errors = input.required<string[]>();
}
