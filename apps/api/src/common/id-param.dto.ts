import { createZodDto } from './zod-dto';
import { z } from 'zod';
import { Uuid } from '@acc/contracts';

/** `:id` path parameters: a malformed id is a 400, an unknown (or another tenant's) id a 404. */
export class IdParamDto extends createZodDto(z.strictObject({ id: Uuid })) {}
