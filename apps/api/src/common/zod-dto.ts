import { type ZodDto, createZodDto as nestjsZodDto } from 'nestjs-zod';
import { z } from 'zod';

/**
 * The example of each DTO's schema (libs/contracts examples.ts), by the
 * DTO's name, which is its schema's name in the document: filled as
 * Swagger reads the DTOs, put on their schemas by buildOpenApi. (zod
 * writes a schema's examples into its JSON Schema only sometimes.)
 */
export const DTO_EXAMPLES = new Map<string, unknown>();

/**
 * Rewrites a JSON Schema nullable, `type: [T, "null"]`, as OpenAPI 3.0's
 * `type: T, nullable: true`, at every depth. zod >= 4.5 writes the former,
 * which OpenAPI 3.0 does not know and @nestjs/swagger reads as "an array of
 * T" (nestjs-zod#473): `nextCursor` was documented as `string[]`.
 */
export function nullableAsOpenApi30<T>(node: T): T {
  if (Array.isArray(node)) return node.map((n) => nullableAsOpenApi30(n)) as T;
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) out[key] = nullableAsOpenApi30(value);
  const type = out['type'];
  if (Array.isArray(type) && type.includes('null')) {
    const others = type.filter((t) => t !== 'null');
    if (others.length === 1) {
      out['type'] = others[0];
      out['nullable'] = true;
    }
  }
  return out as T;
}

/** nestjs-zod's createZodDto, with the OpenAPI metadata of its fields in 3.0's terms. */
export function createZodDto<S extends Parameters<typeof nestjsZodDto>[0]>(
  schema: S,
): ZodDto<S, false> {
  const Base = nestjsZodDto(schema);
  const metadata = Base._OPENAPI_METADATA_FACTORY;
  // Base's statics (schema, create, isZodDto) are inherited; only the metadata is rewritten.
  class Dto extends (Base as unknown as new () => object) {
    static _OPENAPI_METADATA_FACTORY() {
      const examples = z.globalRegistry.get(schema as unknown as z.ZodType)?.examples;
      if (Array.isArray(examples) && examples.length > 0) DTO_EXAMPLES.set(this.name, examples[0]);
      return nullableAsOpenApi30(metadata.call(this));
    }
  }
  return Dto as unknown as ZodDto<S, false>;
}
