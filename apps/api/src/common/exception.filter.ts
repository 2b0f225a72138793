import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ZodValidationException } from 'nestjs-zod';
import { QueryFailedError, QueryRunnerAlreadyReleasedError } from 'typeorm';
import type { ApiError } from '@acc/contracts';
import { answeringWithError } from './answer-kind';

interface PgError {
  code?: string;
  constraint?: string;
  detail?: string;
  message?: string;
}

const CONNECTION_ERRORS = [
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  '57P01',
  '57P02',
  '57P03',
  '53300',
];

const CLIENT_CLOSED_REQUEST = 499;

/** Errors that mean "the database is not answering right now": 503, retry later. */
export function isUnavailable(e: unknown): boolean {
  // The pg connection of this request's transaction failed (the server or
  // PgBouncer closed it): TypeORM released the query runner underneath it.
  if (e instanceof QueryRunnerAlreadyReleasedError) return true;
  const err = e as PgError & { driverError?: PgError };
  const code = err?.driverError?.code ?? err?.code;
  const msg = String(err?.driverError?.message ?? err?.message ?? '');
  return (
    (code !== undefined && CONNECTION_ERRORS.includes(code)) ||
    // Class 08, connection exception. PgBouncer reports its pooler errors
    // (PostgreSQL down: "server login has been failing", "server conn
    // crashed?", "query_wait_timeout", ...) as FATAL 08P01.
    (typeof code === 'string' && code.startsWith('08')) ||
    code === '57014' || // statement timeout
    /timeout exceeded when trying to connect|Connection terminated|connect ECONNREFUSED|Client has encountered a connection error|terminating connection/i.test(
      msg,
    )
  );
}

/**
 * The single exit for errors: writes the API.md shape
 * {statusCode, error, message}, never leaks SQL, and answers database
 * outages with 503 rather than 500.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly log = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const reply = ctx.getResponse<FastifyReply>();
    const req = ctx.getRequest<FastifyRequest>();
    // the request's transaction is rolled back, not committed, before this answer goes out
    answeringWithError(reply.raw);
    // The client hung up before its answer (its transaction was rolled back when the
    // socket closed, so a late query fails too): nothing to answer, and not the server's
    // error. 499 (nginx's "client closed request") keeps it out of the 5xx figures.
    if (reply.raw.destroyed && !reply.raw.headersSent) {
      this.log.log(
        { path: req.url, reason: (exception as Error)?.message },
        'client closed the request',
      );
      reply.raw.statusCode = CLIENT_CLOSED_REQUEST;
      return;
    }
    const { status, message } = this.describe(exception);
    if (status >= 500 && status !== 503) {
      this.log.error({ err: exception, path: req.url }, 'unhandled error');
    } else if (status === 503) {
      this.log.warn(
        { err: (exception as Error)?.message, path: req.url },
        'dependency unavailable',
      );
    }
    if (reply.sent || reply.raw.headersSent) {
      reply.raw.destroy();
      return;
    }
    const body: ApiError = {
      statusCode: status,
      error: STATUS_CODES[status] ?? 'Error',
      message,
      requestId: req.id,
    };
    if (exception instanceof HttpException) {
      const retry = (exception.getResponse() as { retryAfter?: number })?.retryAfter;
      if (retry) void reply.header('Retry-After', String(retry));
    }
    void reply.code(status).send(body);
  }

  private describe(e: unknown): { status: number; message: string | string[] } {
    if (e instanceof ZodValidationException) {
      // nestjs-zod also wraps an error a schema threw, which has no issues
      const issues = (
        e.getZodError() as { issues?: Array<{ path: PropertyKey[]; message: string }> }
      )?.issues;
      return {
        status: 400,
        message: issues?.length
          ? issues.map((i) =>
              i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message,
            )
          : 'the request is malformed',
      };
    }
    // Fastify's own refusals (413, malformed JSON, 415) reach here as HttpExceptions too.
    if (e instanceof HttpException) {
      const r = e.getResponse();
      const message =
        typeof r === 'string' ? r : ((r as { message?: string | string[] }).message ?? e.message);
      return { status: e.getStatus(), message };
    }
    // A plugin's refusal of the request itself, e.g. @fastify/compress on a body whose
    // Content-Encoding is unsupported (415) or does not match its bytes (400).
    const { statusCode, message } = (e ?? {}) as { statusCode?: unknown; message?: unknown };
    if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
      return { status: statusCode, message: String(message ?? STATUS_CODES[statusCode]) };
    }
    if (isUnavailable(e)) {
      return {
        status: HttpStatus.SERVICE_UNAVAILABLE,
        message: 'the database is unavailable, retry shortly',
      };
    }
    if (e instanceof QueryFailedError) {
      const code = (e.driverError as PgError)?.code;
      if (code === '23505')
        return { status: 409, message: 'a record with these values already exists' };
      if (code === '23503') return { status: 404, message: 'a referenced record was not found' };
      if (
        code === '22P02' ||
        code === '22007' ||
        code === '22008' ||
        code === '22003' ||
        code === '22009' || // a time zone offset PostgreSQL refuses (past ±15:59)
        code === '23514'
      )
        return { status: 400, message: 'a value is out of range or malformed' };
      // NUL in a text or JSON value: PostgreSQL cannot store it
      if (code === '22021' || code === '22P05')
        return { status: 400, message: 'a value contains a character that cannot be stored (NUL)' };
      if (code === '40001' || code === '40P01')
        return { status: 409, message: 'conflicting concurrent update, retry' };
    }
    return { status: 500, message: 'internal server error' };
  }
}
