import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { ShapedLists, type ShapedList, type ShapedQuery } from '@kwik/data';
import { Comment, Post } from '../entities/index.js';
import { DemoActorService } from './demo-actor.service.js';
import type { CreateCommentDto, CreatePostDto, UpdatePostDto } from './dto/post.dto.js';

/** Posts of the current tenant: the shaped list (@kwik/data) and hand-written item operations. */
@Injectable()
export class PostsService {
  constructor(
    @InjectRepository(Post) private readonly posts: Repository<Post>,
    @InjectRepository(Comment) private readonly comments: Repository<Comment>,
    private readonly actors: DemoActorService,
    private readonly lists: ShapedLists,
  ) {}

  /** The shaped list of the current tenant's posts (filters, sort, fields, cursors, search, CSV). */
  async list(query: ShapedQuery): Promise<ShapedList<Post>> {
    const { tenantId } = await this.actors.current();
    return this.lists.list(
      this.posts.createQueryBuilder('post').where('post.tenantId = :tenantId', { tenantId }),
      query,
    );
  }

  async get(id: string): Promise<Post> {
    const { tenantId } = await this.actors.current();
    const post = await this.posts.findOne({ where: { id, tenantId }, relations: { author: true } });
    if (!post) throw new NotFoundException(`Post ${id} does not exist`);
    return post;
  }

  async create(dto: CreatePostDto): Promise<Post> {
    const { tenantId, userId } = await this.actors.current();
    const status = dto.status ?? 'draft';
    const saved = await this.posts.save(
      this.posts.create({
        ...dto,
        tenantId,
        authorId: userId,
        status,
        tags: dto.tags ?? [],
        publishedAt: status === 'published' ? new Date() : null,
      }),
    );
    return this.get(saved.id);
  }

  async update(id: string, dto: UpdatePostDto): Promise<Post> {
    const post = await this.get(id);
    Object.assign(post, dto);
    if (dto.status === 'published' && !post.publishedAt) post.publishedAt = new Date();
    await this.posts.save(post);
    return this.get(id);
  }

  async remove(id: string): Promise<void> {
    const { tenantId } = await this.actors.current();
    const result = await this.posts.delete({ id, tenantId });
    if (!result.affected) throw new NotFoundException(`Post ${id} does not exist`);
  }

  async listComments(postId: string): Promise<Comment[]> {
    await this.get(postId);
    return this.comments.find({
      where: { postId },
      relations: { author: true },
      order: { createdAt: 'ASC' },
    });
  }

  async addComment(postId: string, dto: CreateCommentDto): Promise<Comment> {
    const post = await this.get(postId);
    const { userId } = await this.actors.current();
    const saved = await this.comments.save(
      this.comments.create({ tenantId: post.tenantId, postId, authorId: userId, body: dto.body }),
    );
    return this.comments.findOneOrFail({ where: { id: saved.id }, relations: { author: true } });
  }
}
