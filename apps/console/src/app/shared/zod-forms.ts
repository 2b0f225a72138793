import { AbstractControl, ValidationErrors, ValidatorFn } from '@angular/forms';
import { z } from 'zod';

type Issue = z.core.$ZodIssue;

/**
 * Turns a zod issue into a sentence for a form field. Messages the contracts wrote themselves
 * (regexes, refinements, phone parsing) are kept; zod's generic ones are made human.
 */
export function issueMessage(issue: Issue): string {
  switch (issue.code) {
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string') return min <= 1 ? 'Required' : `At least ${min} characters`;
      if (issue.origin === 'array') return `Choose at least ${min}`;
      return `Must be at least ${min}`;
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'string') return `At most ${max} characters`;
      if (issue.origin === 'array') return `At most ${max} items`;
      return `Must be at most ${max}`;
    }
    case 'invalid_format':
      if (issue.format === 'email') return 'Enter a valid email address';
      if (issue.format === 'url') return 'Enter a valid URL such as https://example.com/hook';
      if (issue.format === 'uuid') return 'Invalid selection';
      if (issue.format === 'datetime') return 'Enter a valid date and time';
      return issue.message;
    case 'invalid_type':
      if (issue.expected === 'int') return 'Enter a whole number';
      if (issue.expected === 'number') return 'Enter a number';
      return 'Required';
    case 'invalid_value':
      return 'Choose one of the options';
    case 'unrecognized_keys':
      return `Unknown field: ${issue.keys.join(', ')}`;
    default:
      return issue.message;
  }
}

/**
 * A control validator backed by a contracts schema: the same rule the API enforces.
 * An empty input counts as "not given" when the schema allows null or undefined.
 * `wording`, when given, is the field's message for any failure: for schemas whose own messages
 * are written for developers ("must be HH:MM (24 h)").
 */
export function zodValidator(schema: z.ZodType, wording?: string): ValidatorFn {
  return (control: AbstractControl): ValidationErrors | null => {
    const value: unknown = control.value;
    const result = schema.safeParse(value);
    if (result.success) return null;
    if (value === '' && (schema.safeParse(null).success || schema.safeParse(undefined).success)) {
      return null;
    }
    return { zod: wording ?? issueMessage(result.error.issues[0]) };
  };
}

/** The message to show under a field, or '' when it is fine. */
export function fieldError(control: AbstractControl | null | undefined): string {
  const errors = control?.errors;
  if (!errors) return '';
  if (typeof errors['zod'] === 'string') return errors['zod'];
  if (typeof errors['server'] === 'string') return errors['server'];
  if (errors['required']) return 'Required';
  if (errors['email']) return 'Enter a valid email address';
  if (errors['mismatch']) return 'Passwords do not match';
  return 'Invalid value';
}

/**
 * Validates a whole form value against a request schema (refinements included). On failure the
 * issues are put on the matching controls and the rest are returned for a form-level message.
 * `refinements` words the schema's refinement issues by field path: their own messages name
 * fields as the code does (voicemailMessage), which users should not read.
 */
export function parseInto<S extends z.ZodType>(
  schema: S,
  value: unknown,
  form: AbstractControl,
  refinements: Record<string, string> = {},
): { ok: true; data: z.output<S> } | { ok: false; formErrors: string[] } {
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, data: result.data };
  const formErrors: string[] = [];
  for (const issue of result.error.issues) {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    const message = (issue.code === 'custom' && refinements[path.join('.')]) || issueMessage(issue);
    // The deepest control on the issue's path (a list edited as text owns its items' issues).
    let control: AbstractControl | null = null;
    for (let n = path.length; n > 0 && !control; n--) control = form.get(path.slice(0, n));
    if (control && control !== form) {
      // A message the control's own validator already shows (worded for that field) stays.
      control.setErrors({ zod: message, ...(control.errors ?? {}) });
      control.markAsTouched();
    } else {
      formErrors.push(path.length ? `${path.join('.')}: ${message}` : message);
    }
  }
  form.markAllAsTouched();
  return { ok: false, formErrors };
}

/** '' -> null for optional text inputs before they reach a nullable schema field. */
export function nullIfBlank(value: string | null | undefined): string | null {
  const v = (value ?? '').trim();
  return v ? v : null;
}
