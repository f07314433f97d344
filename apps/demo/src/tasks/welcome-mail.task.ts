import { Injectable, Logger } from '@nestjs/common';
import { TransactionManager } from '@kwik/database';
import { Task } from '@kwik/tasks';
import { User } from '../entities/index.js';
import { WelcomeMailPayload } from './welcome-mail.payload.js';

/** What `mail.welcome` stores as its job's result: the address written to (`null`: the user is gone). */
export interface WelcomeMailResult {
  to: string | null;
}

/**
 * The welcome mail a new user gets (enqueued by {@link WelcomeOnRegister}). There is no mail
 * library yet: it logs the mail it would send. The worker runs it in the registering request's
 * context, tenant included, so the user is read as that tenant (row-level security on `users`
 * under both strategies; `users` stays in `public` with the schema strategy).
 */
@Injectable()
export class WelcomeMailTask {
  private readonly logger = new Logger('WelcomeMail');

  constructor(private readonly tx: TransactionManager) {}

  @Task('mail.welcome', { payload: WelcomeMailPayload })
  async send({ userId }: WelcomeMailPayload): Promise<WelcomeMailResult> {
    const user = await this.tx.getRepository(User).findOneBy({ id: userId });
    if (!user) {
      // Deleted before the job ran: nothing to send, and retrying would not change that.
      this.logger.warn(`welcome mail skipped: user ${userId} no longer exists`);
      return { to: null };
    }
    this.logger.log(`welcome mail for ${user.email}`);
    return { to: user.email };
  }
}
