import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { IMPORT_MAX_BYTES, ImportResult, LEAD_CSV_COLUMNS } from '@acc/contracts';
import { LeadsApi } from '../../core/api/leads.api';
import { apiErrorMessage } from '../../core/api-error';
import { Icon } from '../../shared/icon';

@Component({
  selector: 'app-import-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    FormsModule,
    MatDialogModule,
    MatButtonModule,
    MatButtonToggleModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    Icon,
  ],
  template: `
    <h2 mat-dialog-title>Import leads from CSV</h2>
    <mat-dialog-content>
      @if (busy()) {
        <mat-progress-bar mode="indeterminate" aria-label="Loading" />
      }
      @if (result(); as r) {
        <div class="summary" data-testid="import-result">
          <div class="stat">
            <b data-testid="import-inserted">{{ r.inserted }}</b> added
          </div>
          <div class="stat">
            <b data-testid="import-updated">{{ r.updated }}</b> updated
          </div>
          <div class="stat" [class.bad]="r.rejected.length">
            <b data-testid="import-rejected-count">{{ r.rejected.length }}</b> rejected
          </div>
        </div>
        @if (r.rejected.length) {
          <p>These rows were not imported. Fix them and import the file again:</p>
          <div class="rejections">
            <table data-testid="import-rejections">
              <thead>
                <tr>
                  <th>Line</th>
                  <th>Reason</th>
                </tr>
              </thead>
              <tbody>
                @for (row of r.rejected; track $index) {
                  <tr data-testid="import-rejection">
                    <td class="line">{{ row.line }}</td>
                    <td>{{ row.reason }}</td>
                  </tr>
                }
              </tbody>
            </table>
          </div>
        } @else {
          <p class="ok">Every row was imported.</p>
        }
      } @else {
        <p class="muted">
          The first row names the columns (any order, case-insensitive):
          <span class="mono">{{ columns }}</span>. Only <span class="mono">phone</span> is required;
          a phone already in your leads updates that lead.
        </p>
        <mat-button-toggle-group [(ngModel)]="mode" aria-label="Import source">
          <mat-button-toggle value="file">Upload a file</mat-button-toggle>
          <mat-button-toggle value="paste">Paste CSV</mat-button-toggle>
        </mat-button-toggle-group>
        @if (mode === 'file') {
          <div class="drop">
            <input
              #fileInput
              type="file"
              accept=".csv,text/csv"
              (change)="pick(fileInput.files)"
              data-testid="import-file"
            />
            <button mat-stroked-button type="button" (click)="fileInput.click()">
              <app-icon name="upload" /> Choose file
            </button>
            <span class="muted">{{ file()?.name ?? 'No file chosen' }}</span>
          </div>
        } @else {
          <mat-form-field class="wide">
            <mat-label>CSV</mat-label>
            <textarea
              matInput
              rows="8"
              [(ngModel)]="text"
              class="mono"
              data-testid="import-text"
              placeholder="first_name,last_name,phone,email&#10;Ada,Lovelace,+14155550100,ada@example.com"
            ></textarea>
          </mat-form-field>
        }
        @if (error()) {
          <p class="form-errors" role="alert">{{ error() }}</p>
        }
      }
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      @if (result()) {
        <button mat-button type="button" (click)="reset()">Import another</button>
        <button mat-flat-button type="button" (click)="close()" data-testid="import-close">
          Done
        </button>
      } @else {
        <button mat-button type="button" mat-dialog-close>Cancel</button>
        <button
          mat-flat-button
          type="button"
          (click)="submit()"
          [disabled]="busy()"
          data-testid="import-submit"
        >
          Import
        </button>
      }
    </mat-dialog-actions>
  `,
  styles: `
    .drop {
      display: flex;
      align-items: center;
      flex-wrap: wrap;
      gap: 12px;
      margin: 16px 0;
    }
    .drop input[type='file'] {
      display: none;
    }
    .wide {
      width: 100%;
      margin-top: 16px;
    }
    .summary {
      display: flex;
      gap: 12px;
      flex-wrap: wrap;
      margin-bottom: 12px;
    }
    .stat {
      padding: 8px 14px;
      border-radius: 8px;
      background: var(--acc-good-bg);
      color: var(--acc-good-fg);
    }
    .stat.bad {
      background: var(--mat-sys-error-container);
      color: var(--mat-sys-on-error-container);
    }
    .rejections {
      max-height: 280px;
      overflow: auto;
      border: 1px solid var(--mat-sys-outline-variant);
      border-radius: 8px;
    }
    table {
      width: 100%;
      border-collapse: collapse;
    }
    th,
    td {
      text-align: left;
      padding: 6px 10px;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
      vertical-align: top;
    }
    .line {
      width: 56px;
    }
    .ok {
      color: var(--acc-good-fg);
    }
  `,
})
export class ImportDialog {
  private readonly api = inject(LeadsApi);
  private readonly ref = inject(MatDialogRef<ImportDialog, ImportResult | null>);
  protected readonly columns = LEAD_CSV_COLUMNS.join(', ');
  protected mode: 'file' | 'paste' = 'file';
  protected text = '';
  protected readonly file = signal<File | null>(null);
  protected readonly busy = signal(false);
  protected readonly error = signal('');
  protected readonly result = signal<ImportResult | null>(null);

  protected pick(files: FileList | null): void {
    this.error.set('');
    this.file.set(files?.item(0) ?? null);
  }

  protected submit(): void {
    this.error.set('');
    const file = this.file();
    if (this.mode === 'file' && !file) return this.error.set('Choose a CSV file first.');
    if (this.mode === 'paste' && !this.text.trim()) return this.error.set('Paste some CSV first.');
    const size = this.mode === 'file' ? (file?.size ?? 0) : new Blob([this.text]).size;
    if (size > IMPORT_MAX_BYTES) {
      return this.error.set(`The file is too large (limit ${IMPORT_MAX_BYTES / 1024 / 1024} MB).`);
    }
    this.busy.set(true);
    const req =
      this.mode === 'file' && file
        ? this.api.importFile(file, file.name)
        : this.api.importText(this.text);
    req.subscribe({
      next: (r) => {
        this.busy.set(false);
        this.result.set(r);
      },
      error: (e: unknown) => {
        this.busy.set(false);
        this.error.set(apiErrorMessage(e));
      },
    });
  }

  protected reset(): void {
    this.result.set(null);
    this.file.set(null);
    this.text = '';
  }

  protected close(): void {
    this.ref.close(this.result());
  }
}
