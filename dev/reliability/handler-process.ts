/**
 * The child-process side of {@link HandlerWorker}: a warm Lambda container in miniature. It imports the real
 * handler once (a cold start), then runs each invocation the parent sends over IPC with a Lambda-like context,
 * and reports the outcome. Its environment is the Lambda's (the parent passes the local stack's `env`), so the
 * handler composes itself exactly as in AWS; SIGKILL at any moment is a crash.
 *
 * Run with `node --import tsx dev/reliability/handler-process.ts` (HandlerWorker does this).
 */
import { inspect } from 'node:util';
import type { ParentMessage, ChildMessage } from './handler-messages.js';

const send = (message: ChildMessage): void => {
  process.send?.(message);
};

/**
 * The container's clock: the parent's plus an offset the parent may raise between invocations (see
 * InvokeMessage.clockOffsetMs). The handler reads time through `Date.now` (its system clock, the lease, the
 * deadline), so moving it lets a killed invocation's lease lapse at once instead of after a real wait.
 */
const parentNow = Date.now.bind(Date);
let clockOffsetMs = 0;
Date.now = () => parentNow() + clockOffsetMs;

const { handler } = await import('../../lambda/handler.js');
send({ type: 'ready' });

process.on('message', (message: ParentMessage) => {
  if (message.type !== 'invoke') return;
  clockOffsetMs = Math.max(clockOffsetMs, message.clockOffsetMs);
  const deadlineAt = Date.now() + message.remainingMs;
  const context = {
    awsRequestId: message.requestId,
    functionName: 'okta-sumo-collector-reliability',
    getRemainingTimeInMillis: () => Math.max(0, deadlineAt - Date.now()),
  };
  send({ type: 'started', id: message.id, deadlineAt });
  handler(message.event, context as never).then(
    (value) =>
      send({ type: 'result', id: message.id, ok: true, value: JSON.parse(JSON.stringify(value)) as unknown }),
    (error: unknown) =>
      send({
        type: 'result',
        id: message.id,
        ok: false,
        error: {
          name: error instanceof Error ? error.name : typeof error,
          message: error instanceof Error ? error.message : String(error),
          stack: error instanceof Error ? (error.stack ?? '') : '',
          // Everything a logger could print about it, causes included.
          inspected: inspect(error, { depth: 8 }),
        },
      }),
  );
});

// The parent going away ends the container.
process.on('disconnect', () => process.exit(0));
