import type { ServerResponse } from 'node:http';

/**
 * How a request is being answered: with its handler's result, or with an
 * error. Marked on the response by the adapter (app.factory) and the
 * exception filter; read by the request scope's onSend hook, which commits
 * the transaction on a result and rolls it back on an error.
 */
export type AnswerKind = 'result' | 'error';

const ANSWER = Symbol('acc.answer');
type Answered = ServerResponse & { [ANSWER]?: AnswerKind };

/** The route handler returned and Nest is sending its result (app.factory's adapter). */
export function answeringWithResult(res: ServerResponse): void {
  (res as Answered)[ANSWER] ??= 'result';
}

/** The exception filter is answering with an error (even after a result failed to go out). */
export function answeringWithError(res: ServerResponse): void {
  (res as Answered)[ANSWER] = 'error';
}

/** How the response is being answered; undefined when no handler or filter has answered. */
export function answerKind(res: ServerResponse): AnswerKind | undefined {
  return (res as Answered)[ANSWER];
}
