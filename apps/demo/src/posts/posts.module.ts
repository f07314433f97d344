import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Comment, Post, Tenant, User } from '../entities/index.js';
import { CommentsService } from './comments.service.js';
import { DemoActorService } from './demo-actor.service.js';
import { DemoCrudHook } from './demo-crud.hook.js';
import { MigrationGuideController } from './migration-guide.controller.js';
import { PostsController } from './posts.controller.js';

@Module({
  imports: [TypeOrmModule.forFeature([Tenant, User, Post, Comment])],
  controllers: [PostsController, MigrationGuideController],
  providers: [CommentsService, DemoActorService, DemoCrudHook],
})
export class PostsModule {}
