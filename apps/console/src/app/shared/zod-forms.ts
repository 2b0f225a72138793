import { HttpErrorResponse } from '@angular/common/http';
import { ChangeDetectorRef, ElementRef, Injector, afterNextRender, inject } from '@angular/core';
import { AbstractControl, ValidationErrors, ValidatorFn } from '@angular/forms';
import { z } from 'zod';
import { apiErrorMessages } from '../core/api-error';

type Issue = z.core.$ZodIssue;

/**
 * The contracts' and the API's own messages, written for developers ('phone "12345" is not a
 * valid number', 'must be a BCP-47 tag such as en-US'), in the words a form shows: one set of
 * messages whether the browser or the server found the problem.
 */
const PLAIN: [RegExp, string | ((m: RegExpExecArray) => string)][] = [
  [/^phone is required$/, 'Required'],
  [/^phone is too long$/, 'Too long for a phone number'],
  [/is not a valid number$/, 'Not a valid phone number'],
  [/is not a phone number/, 'Not a phone number'],
  [/BCP-47 tag/, 'Enter a language code such as en-US'],
  [/IANA time zone/, 'Choose a time zone such as Europe/Paris'],
  [/HH:MM/, 'Enter a time such as 09:00'],
  [/date-time with its time zone/, 'Enter a valid date and time'],
  [/^disposition codes are lower_snake_case/, 'Codes are lower_snake_case, at most 40 characters'],
  [/^voicemailMessage is required/, 'Required when the agent leaves a voicemail'],
  [/^callingWindowStart must be before/, 'The calling window must end after it starts'],
  [/^window\.start must be before/, 'The window must end after it starts'],
  [/^startAt must be before endAt/, 'The end must be after the start'],
  [/^tags are 1-40/, 'A tag is 1-40 letters, digits, spaces or _ : . -'],
  [/^a lead with this (.+) already exists$/, (m) => `Another lead already has this ${m[1]}`],
  [
    /^another agent of this workspace has this (.+)$/,
    (m) => `Another agent already has this ${m[1]}`,
  ],
  [/^Invalid input: expected \w+, received undefined$/, 'Required'],
  [/^Invalid email/, 'Enter a valid email address'],
  [/^Too small: expected string to have >=1 characters?$/, 'Required'],
  [/^Too small: expected string to have >=(\d+) characters$/, (m) => `At least ${m[1]} characters`],
  [/^Too big: expected string to have <=(\d+) characters$/, (m) => `At most ${m[1]} characters`],
];

/** A message in the form's words (see PLAIN); any other starts with a capital. */
export function plainMessage(message: string): string {
  for (const [re, wording] of PLAIN) {
    const m = re.exec(message);
    if (m) return typeof wording === 'string' ? wording : wording(m);
  }
  return message.charAt(0).toUpperCase() + message.slice(1);
}

/**
 * Turns a zod issue into a sentence for a form field: zod's generic ones made human, the
 * contracts' own (regexes, refinements, phone parsing) in plain words (plainMessage).
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
      return plainMessage(issue.message);
    case 'invalid_type':
      if (issue.expected === 'int') return 'Enter a whole number';
      if (issue.expected === 'number') return 'Enter a number';
      return 'Required';
    case 'invalid_value':
      return 'Choose one of the options';
    case 'unrecognized_keys':
      return `Unknown field: ${issue.keys.join(', ')}`;
    default:
      return plainMessage(issue.message);
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
  if (typeof errors['server'] === 'string') return errors['server'];
  if (typeof errors['zod'] === 'string') return errors['zod'];
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
      formErrors.push(message);
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

/**
 * Puts an API refusal on the fields it names ("phone: a lead with this phone already exists",
 * as the API writes every field's 400 and 409) in the form's words; returns the rest, for a
 * message above the form. `fields` maps a message the API writes without a field name to the
 * field it is about (e.g. a duplicate invitation to the email).
 */
export function applyServerErrors(
  err: unknown,
  form: AbstractControl,
  fields: Record<string, string> = {},
): string[] {
  const rest: string[] = [];
  const messages =
    err instanceof HttpErrorResponse && err.status < 500 ? apiErrorMessages(err) : [];
  if (!messages.length) return apiErrorMessages(err).map(plainMessage);
  for (const message of messages) {
    const named = /^([\w.]+): (.+)$/.exec(message);
    const path = named?.[1] ?? Object.entries(fields).find(([m]) => message.includes(m))?.[1];
    const control = path ? form.get(path) : null;
    if (control && control !== form) {
      control.setErrors({ ...(control.errors ?? {}), server: plainMessage(named?.[2] ?? message) });
      control.markAsTouched();
    } else {
      rest.push(plainMessage(message));
    }
  }
  return rest;
}

/**
 * In a form's component (injection context): a function that, once the errors are on screen,
 * moves focus to the first field showing one (and so scrolls it into view), after a failed
 * submit or a server refusal alike.
 */
export function firstInvalidFocuser(): () => void {
  const host = inject<ElementRef<HTMLElement>>(ElementRef).nativeElement;
  const injector = inject(Injector);
  const cdr = inject(ChangeDetectorRef);
  return () => {
    cdr.markForCheck();
    afterNextRender(() => host.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus(), {
      injector,
    });
  };
}
