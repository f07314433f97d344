import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { Comment, type Post } from '../entities/index.js';
import { DemoActorService } from './demo-actor.service.js';
import type { CreateCommentDto } from './dto/post.dto.js';

/** Comments of a post the caller already found in scope (the posts resource checks the tenant). */
@Injectable()
export class CommentsService {
  constructor(
    @InjectRepository(Comment) private readonly comments: Repository<Comment>,
    private readonly actors: DemoActorService,
  ) {}

  list(post: Post): Promise<Comment[]> {
    return this.comments.find({
      where: { postId: post.id, tenantId: post.tenantId },
      relations: { author: true },
      order: { createdAt: 'ASC' },
    });
  }

  async add(post: Post, dto: CreateCommentDto): Promise<Comment> {
    const { userId } = this.actors.current();
    const saved = await this.comments.save(
      this.comments.create({ tenantId: post.tenantId, postId: post.id, authorId: userId, body: dto.body }),
    );
    return this.comments.findOneOrFail({ where: { id: saved.id }, relations: { author: true } });
  }
}
