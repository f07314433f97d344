import { Module } from '@nestjs/common';
import { ArchiveDraftsTask } from './archive-drafts.task.js';
import { WelcomeMailTask } from './welcome-mail.task.js';
import { WelcomeOnRegister } from './welcome-on-register.hook.js';

/**
 * The demo's background work on `@kwik/tasks`: the `mail.welcome` task, enqueued by an auth
 * registration hook, and the nightly `posts.archive-drafts` cron.
 */
@Module({ providers: [WelcomeMailTask, WelcomeOnRegister, ArchiveDraftsTask] })
export class DemoTasksModule {}
