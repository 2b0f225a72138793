import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { firstValueFrom } from 'rxjs';
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
});
