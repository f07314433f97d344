import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Comment, Post, Tenant, User } from '../entities/index.js';
import { DemoActorService } from './demo-actor.service.js';
import { PostsController } from './posts.controller.js';
import { PostsService } from './posts.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([Tenant, User, Post, Comment])],
  controllers: [PostsController],
  providers: [PostsService, DemoActorService],
})
export class PostsModule {}
