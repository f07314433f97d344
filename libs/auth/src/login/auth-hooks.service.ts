import { Injectable } from '@nestjs/common';
import { NamedHooks } from '@kwik/core';
import type { EntityManager } from 'typeorm';
import type { AuthUser } from '../users/user-accounts.service.js';

/** What a registration hook is told about the new account. */
export interface UserRegisteredEvent {
  /** The user as written: `id`, `email` (lower-case), `displayName`, `roles`, `tenantId` when the entity has one. */
  readonly user: AuthUser;
  /**
   * The registration's transaction. Write through it — or through `TransactionManager.manager` /
   * anything that joins `TransactionManager.run()`, such as `@kwik/tasks`' `TaskQueue.enqueue()` —
   * so that what the hook writes commits or rolls back with the user.
   */
  readonly manager: EntityManager;
}

/**
 * An app's code plugged into auth's flows without auth knowing about it (mail, tasks, provisioning).
 * Every member is optional; each may be async. Hooks run one after the other, in registration order.
 */
export interface AuthHook {
  /** Unique name; registering another hook with the same name replaces it. */
  readonly name: string;
  /**
   * Runs during `POST <path>/register` (`AuthService.register()`), once the user row is written and
   * before the session is opened, **inside the registration's database transaction** and the
   * request's context (its tenant and request id). Throwing refuses the registration: the
   * transaction rolls back (no user, no session, no audit row, nothing the hooks wrote) and the error
   * answers the request — a `ProblemException` with its status, anything else a 500.
   */
  onRegistered?(event: UserRegisteredEvent): void | Promise<void>;
}

/**
 * Where an app runs its own code when auth does something (today: a user registers), in auth's
 * transaction, without auth importing the app's libraries. Register from a provider's constructor
 * or `onModuleInit`.
 *
 * @example
 * @Injectable()
 * export class WelcomeOnRegister {
 *   constructor(hooks: AuthHooks, tasks: TaskQueue) {
 *     hooks.register({
 *       name: 'welcome-mail',
 *       // inside the registration's transaction: the job exists only if the user does
 *       onRegistered: ({ user }) =>
 *         tasks.enqueue('mail.welcome', { userId: user.id }, { dedupKey: `welcome:${user.id}` }),
 *     });
 *   }
 * }
 */
@Injectable()
export class AuthHooks extends NamedHooks<AuthHook> {
  /** Runs every `onRegistered` hook, in order; the first that throws stops the others and rethrows. */
  async registered(event: UserRegisteredEvent): Promise<void> {
    for (const hook of this.list()) if (hook.onRegistered) await hook.onRegistered(event);
  }
}
