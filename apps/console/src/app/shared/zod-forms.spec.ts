import { FormControl, FormGroup } from '@angular/forms';
import {
  CreateAgentRequest,
  CreateLeadRequest,
  InviteMemberRequest,
  SignupRequest,
  TenantConfigFields,
  UpdateTenantConfigRequest,
} from '@acc/contracts';
import { fieldError, nullIfBlank, parseInto, zodValidator } from './zod-forms';

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

  it('keeps the messages the contracts wrote themselves', () => {
    const phone = new FormControl('12', zodValidator(CreateLeadRequest.shape.phone));
    expect(fieldError(phone)).toMatch(/phone "12"/);
    const language = new FormControl('english', zodValidator(CreateAgentRequest.shape.language));
    expect(fieldError(language)).toBe('must be a BCP-47 tag such as en-US');
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
    expect(fieldError(form.controls.voicemailMessage)).toMatch(/voicemailMessage is required/);
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
    if (!r.ok) expect(r.formErrors[0]).toMatch(/callingWindowStart must be before/);
  });
});

describe('nullIfBlank', () => {
  it('turns blank into null', () => {
    expect(nullIfBlank('  ')).toBeNull();
    expect(nullIfBlank(undefined)).toBeNull();
    expect(nullIfBlank(' x ')).toBe('x');
  });
});
