import { Injectable } from '@nestjs/common';
import { AuthHooks } from '@kwik/auth';
import { TaskQueue } from '@kwik/tasks';
import type { WelcomeMailPayload } from './welcome-mail.payload.js';

/**
 * Enqueues `mail.welcome` for every user who registers (`POST /api/auth/register`). The hook runs
 * inside the registration's transaction, so the job commits with the user or not at all; the dedup
 * key keeps it to one pending welcome per user.
 */
@Injectable()
export class WelcomeOnRegister {
  constructor(hooks: AuthHooks, tasks: TaskQueue) {
    hooks.register({
      name: 'demo-welcome-mail',
      onRegistered: async ({ user }) => {
        const payload: WelcomeMailPayload = { userId: user.id };
        await tasks.enqueue('mail.welcome', payload, { dedupKey: `welcome:${user.id}` });
      },
    });
  }
}
