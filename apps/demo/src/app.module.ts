import { Module } from '@nestjs/common';
import { KwikModule } from '@kwik/core';
import { DataModule } from '@kwik/data';
import { DatabaseModule } from '@kwik/database';
import { LoggingModule } from '@kwik/logging';
import { DemoConfig } from './config/demo-config.js';
import { demoDatabaseOptions } from './database.options.js';
import { PostsModule } from './posts/posts.module.js';
import { SeedService } from './seed/seed.service.js';

/** The Kwik demo: a multi-tenant publishing platform (see shared DEMO.md). */
@Module({
  imports: [
    KwikModule.forRoot({
      config: DemoConfig,
      docs: {
        title: 'Kwik demo API',
        description: 'A multi-tenant publishing platform built with Kwik',
        version: '1.0.0',
      },
    }),
    LoggingModule.forRoot({ base: { service: 'kwik-demo' } }),
    DatabaseModule.forRootAsync({ inject: [DemoConfig], useFactory: demoDatabaseOptions }),
    DataModule.forRoot({}),
    PostsModule,
  ],
  providers: [SeedService],
})
export class AppModule {}
