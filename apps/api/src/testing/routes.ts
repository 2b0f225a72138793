import { PATH_METADATA, METHOD_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import { PEOPLE_ONLY } from '../access/people-only.decorator';
import { IS_PUBLIC } from '../access/public.decorator';
import { MIN_ROLE } from '../access/roles.decorator';

export interface RouteRule {
  method: string;
  path: string;
  /** 'public', or the lowest role that may call it */
  access: string;
  /** @PeopleOnly(): an API key is refused (403) whatever its role */
  peopleOnly: boolean;
}

const asArray = (p: string | string[] | undefined): string[] =>
  p === undefined ? [''] : Array.isArray(p) ? p : [p];
const joinPath = (...parts: string[]) =>
  '/' +
  parts
    .flatMap((p) => p.split('/'))
    .filter(Boolean)
    .join('/');

/**
 * Every route the application serves, read from its controllers the way Nest
 * registers them, with who may call it (the same metadata the global guard
 * reads: @Public(), @MinRole() and @PeopleOnly(), handler over class,
 * default viewer).
 */
export function routeRules(app: INestApplication): RouteRule[] {
  const discovery = new DiscoveryService(app.get(ModulesContainer));
  const scanner = new MetadataScanner();
  const reflector = new Reflector();
  const rules: RouteRule[] = [];
  for (const wrapper of discovery.getControllers()) {
    const controller = wrapper.metatype as (new (...args: never[]) => unknown) | undefined;
    if (!controller) continue;
    const prefixes = asArray(Reflect.getMetadata(PATH_METADATA, controller));
    for (const name of scanner.getAllMethodNames(controller.prototype)) {
      const handler = (controller.prototype as Record<string, unknown>)[name] as object;
      const verb = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      const paths = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
      if (verb === undefined || paths === undefined) continue; // not a route handler
      const targets = [handler, controller] as Array<() => void>;
      const access = reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)
        ? 'public'
        : (reflector.getAllAndOverride<string>(MIN_ROLE, targets) ?? 'viewer');
      const peopleOnly = reflector.getAllAndOverride<boolean>(PEOPLE_ONLY, targets) === true;
      for (const prefix of prefixes) {
        for (const path of asArray(paths)) {
          rules.push({
            method: RequestMethod[verb],
            path: joinPath(prefix, path),
            access,
            peopleOnly,
          });
        }
      }
    }
  }
  return rules.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}
