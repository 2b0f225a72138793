import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatSelectModule } from '@angular/material/select';

export interface SortOption<S extends string> {
  value: S;
  label: string;
}

/**
 * A list's order as a select, for phones: a list of cards has no column headers to click.
 * Shown in the filters below 600 px only (styles.scss); it changes the same URL order.
 */
@Component({
  selector: 'app-sort-select',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatFormFieldModule, MatSelectModule],
  host: { class: 'sort-select' },
  template: `
    <mat-form-field>
      <mat-label>Order</mat-label>
      <mat-select [value]="value()" (selectionChange)="changed.emit($event.value)">
        @for (o of options(); track o.value) {
          <mat-option [value]="o.value">{{ o.label }}</mat-option>
        }
      </mat-select>
    </mat-form-field>
  `,
})
export class SortSelect<S extends string> {
  readonly value = input.required<S>();
  readonly options = input.required<ReadonlyArray<SortOption<S>>>();
  readonly changed = output<S>();
}
