/**
 * The updater's Azure Functions app (Node.js programming model v4), bundled at synthesis into the
 * package the Flex Consumption app runs:
 * - `updater-tick`, a timer every 5 minutes (UTC): links runner logs not linked yet, then runs the
 *   scheduled update when `updates.schedule` fell due in `updates.timeZone` (`schedule-gate.ts`);
 * - `updater-requests`, a storage-queue trigger: on-demand requests, the same validated payload as
 *   on AWS (`{"action": "check" | "update" | "rollback", "version"?}`); operators may only add
 *   messages to this queue.
 *
 * The invoker is derived from the trigger, never from the payload: the timer is the schedule, the
 * queue is on demand (`updater/core/payload.ts`). An invalid payload, or an action its invoker may
 * not request, is rejected before anything is read or changed, with one JSON log line saying why;
 * the request is not retried (maxDequeueCount 1: the host moves it to the poison queue).
 */
import { app, type InvocationContext, type Timer } from '@azure/functions';
import { tickTimerSchedule } from '../core/schedule-gate';
import { depsFromEnvironment, handleRequest, handleTick, REQUEST_QUEUE } from './azure-handlers';

app.timer('updater-tick', {
  schedule: tickTimerSchedule(),
  runOnStartup: false,
  handler: async (_timer: Timer, context: InvocationContext) => {
    await handleTick(depsFromEnvironment((line) => context.log(line)));
  },
});

app.storageQueue('updater-requests', {
  queueName: REQUEST_QUEUE,
  connection: 'AzureWebJobsStorage',
  handler: async (message: unknown, context: InvocationContext) => {
    await handleRequest(message, depsFromEnvironment((line) => context.log(line)));
  },
});
