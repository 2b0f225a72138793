import { FormControl, FormGroup } from '@angular/forms';
import {
  CreateAgentRequest,
  CreateLeadRequest,
  InviteMemberRequest,
  SignupRequest,
  TenantConfigFields,
  UpdateTenantConfigRequest,
} from '@acc/contracts';
import { HttpErrorResponse } from '@angular/common/http';
import {
  applyServerErrors,
  fieldError,
  nullIfBlank,
  parseInto,
  plainMessage,
  zodValidator,
} from './zod-forms';

describe('zodValidator (contracts schemas as form validators)', () => {
  it('passes valid values and explains invalid ones', () => {
    const email = new FormControl('nope', zodValidator(SignupRequest.shape.email));
    expect(fieldError(email)).toBe('Enter a valid email address');
    email.setValue('Someone@Example.com');
    expect(email.valid).toBe(true);

    const password = new FormControl('short', zodValidator(SignupRequest.shape.password));
    expect(fieldError(password)).toBe('At least 8 characters');

    const name = new FormControl('   ', zodValidator(InviteMemberRequest.shape.fullName));
    expect(fieldError(name)).toBe('Required');
  });

  it('treats an empty optional input as not given', () => {
    const email = new FormControl('', zodValidator(CreateLeadRequest.shape.email));
    expect(email.valid).toBe(true);
    email.setValue('bad@');
    expect(email.valid).toBe(false);
  });

  it("words the contracts' own messages for people, not developers", () => {
    const phone = new FormControl('12345', zodValidator(CreateLeadRequest.shape.phone));
    expect(fieldError(phone)).toBe('Not a valid phone number');
    const language = new FormControl('english', zodValidator(CreateAgentRequest.shape.language));
    expect(fieldError(language)).toBe('Enter a language code such as en-US');
  });

  it('asks for a whole number where the contract wants an integer', () => {
    const calls = new FormControl(7.5, zodValidator(TenantConfigFields.shape.maxConcurrentCalls));
    expect(fieldError(calls)).toBe('Enter a whole number');
  });

  it("words a field's failures as the form asks", () => {
    const start = new FormControl(
      '',
      zodValidator(TenantConfigFields.shape.callingWindowStart, 'Enter a time'),
    );
    expect(fieldError(start)).toBe('Enter a time');
    const form = new FormGroup({ callingWindowStart: start });
    parseInto(UpdateTenantConfigRequest, { callingWindowStart: '' }, form);
    expect(fieldError(start)).toBe('Enter a time');
  });

  it('explains numbers out of range', () => {
    const max = new FormControl(5, zodValidator(CreateAgentRequest.shape.maxCallSeconds));
    expect(fieldError(max)).toBe('Must be at least 10');
  });
});

describe('parseInto', () => {
  it('returns the parsed request (defaults applied, phone normalised)', () => {
    const form = new FormGroup({ phone: new FormControl('(415) 555-0100') });
    const r = parseInto(CreateLeadRequest, { phone: '(415) 555-0100' }, form);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.data.phone).toBe('+14155550100');
      expect(r.data.status).toBe('new');
    }
  });

  it('puts refinement issues on the field they name', () => {
    const form = new FormGroup({
      name: new FormControl('Ava'),
      voicemailBehavior: new FormControl('leave_message'),
      voicemailMessage: new FormControl(''),
    });
    const r = parseInto(
      CreateAgentRequest,
      { name: 'Ava', voicemailBehavior: 'leave_message', voicemailMessage: null },
      form,
    );
    expect(r.ok).toBe(false);
    expect(fieldError(form.controls.voicemailMessage)).toBe(
      'Required when the agent leaves a voicemail',
    );
    expect(form.controls.voicemailMessage.touched).toBe(true);
  });

  it('words refinement issues as the form asks', () => {
    const form = new FormGroup({ voicemailMessage: new FormControl('') });
    parseInto(
      CreateAgentRequest,
      { name: 'Ava', voicemailBehavior: 'leave_message', voicemailMessage: null },
      form,
      { voicemailMessage: 'Required when the agent leaves a voicemail' },
    );
    expect(fieldError(form.controls.voicemailMessage)).toBe(
      'Required when the agent leaves a voicemail',
    );
  });

  it('maps issues inside a list to the control holding the list', () => {
    const form = new FormGroup({
      name: new FormControl('A'),
      dispositionCodes: new FormControl(''),
    });
    const r = parseInto(CreateAgentRequest, { name: 'A', dispositionCodes: ['Not Snake'] }, form);
    expect(r.ok).toBe(false);
    expect(fieldError(form.controls.dispositionCodes)).toMatch(/lower_snake_case/);
  });

  it('reports issues without a control at form level', () => {
    const form = new FormGroup({ timezone: new FormControl('UTC') });
    const r = parseInto(
      UpdateTenantConfigRequest,
      {
        timezone: 'UTC',
        callingWindowStart: '18:00',
        callingWindowEnd: '09:00',
        callingDays: [1],
        defaultAgentId: null,
        maxConcurrentCalls: 1,
        recordingEnabled: true,
      },
      form,
    );
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.formErrors).toEqual(['The calling window must end after it starts']);
  });
});

describe('nullIfBlank', () => {
  it('turns blank into null', () => {
    expect(nullIfBlank('  ')).toBeNull();
    expect(nullIfBlank(undefined)).toBeNull();
    expect(nullIfBlank(' x ')).toBe('x');
  });
});

describe('one set of messages, from the browser or the server', () => {
  it.each([
    ['phone "12345" is not a valid number', 'Not a valid phone number'],
    ['phone "abc" is not a phone number (not_a_number)', 'Not a phone number'],
    ['phone is too long', 'Too long for a phone number'],
    ['must be a BCP-47 tag such as en-US', 'Enter a language code such as en-US'],
    ['must be an IANA time zone such as Europe/Paris', 'Choose a time zone such as Europe/Paris'],
    ['a lead with this phone already exists', 'Another lead already has this phone'],
    ['Invalid input: expected string, received undefined', 'Required'],
    ['disposition codes must not repeat', 'Disposition codes must not repeat'],
    [
      'voicemailMessage is required when voicemailBehavior is leave_message',
      'Required when the agent leaves a voicemail',
    ],
    ['must be in the future', 'Must be in the future'],
  ])('%s -> %s', (raw, plain) => {
    expect(plainMessage(raw)).toBe(plain);
  });

  const refusal = (status: number, message: string | string[]) =>
    new HttpErrorResponse({ status, error: { statusCode: status, error: 'x', message } });

  it("puts the API's field messages on their fields and returns the rest", () => {
    const form = new FormGroup({
      phone: new FormControl('+14155550100'),
      language: new FormControl('en'),
    });
    const rest = applyServerErrors(
      refusal(400, ['language: must be a BCP-47 tag such as en-US', 'something else went wrong']),
      form,
    );
    expect(fieldError(form.controls.language)).toBe('Enter a language code such as en-US');
    expect(form.controls.language.touched).toBe(true);
    expect(rest).toEqual(['Something else went wrong']);
    // the next edit runs the field's own checks again: the server's word is gone
    form.controls.language.setValue('en-GB');
    expect(form.controls.language.errors).toBeNull();
  });

  it('maps a message without a field name to the field the form says it is about', () => {
    const form = new FormGroup({ email: new FormControl('a@b.co') });
    const rest = applyServerErrors(
      refusal(409, 'this person is already a member or invited'),
      form,
      { 'already a member': 'email' },
    );
    expect(rest).toEqual([]);
    expect(fieldError(form.controls.email)).toBe('This person is already a member or invited');
  });

  it('keeps a server failure above the form, never on a field', () => {
    const form = new FormGroup({ phone: new FormControl('') });
    expect(applyServerErrors(refusal(500, 'phone: boom'), form)).toEqual(['Phone: boom']);
    expect(form.controls.phone.errors).toBeNull();
  });
});
