import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, type Repository } from 'typeorm';
import { Comment, Post } from '../entities/index.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { DemoActorService } from './demo-actor.service.js';
import type { CreateCommentDto, CreatePostDto, ListPostsQuery, UpdatePostDto } from './dto/post.dto.js';

/** One page of posts, newest first. */
export interface PostPage {
  data: Post[];
  meta: { limit: number; nextCursor: string | null; prevCursor: string | null; total?: number };
}

/** Hand-written posts CRUD (the data library replaces the list shaping). */
@Injectable()
export class PostsService {
  constructor(
    @InjectRepository(Post) private readonly posts: Repository<Post>,
    @InjectRepository(Comment) private readonly comments: Repository<Comment>,
    private readonly actors: DemoActorService,
  ) {}

  async list(query: ListPostsQuery): Promise<PostPage> {
    const { tenantId } = await this.actors.current();
    const backwards = query.before !== undefined && query.after === undefined;
    const cursor = query.after
      ? decodeCursor(query.after, 'after')
      : query.before
        ? decodeCursor(query.before, 'before')
        : undefined;
    const qb = this.posts
      .createQueryBuilder('post')
      .leftJoinAndSelect('post.author', 'author')
      .where('post.tenantId = :tenantId', { tenantId });
    if (cursor) {
      const op = backwards ? '>' : '<';
      qb.andWhere(
        new Brackets((w) =>
          w
            .where(`post.createdAt ${op} :at`, { at: cursor.createdAt })
            .orWhere(`(post.createdAt = :at AND post.id ${op} :cid)`, { cid: cursor.id }),
        ),
      );
    }
    const order = backwards ? 'ASC' : 'DESC';
    qb.orderBy('post.createdAt', order)
      .addOrderBy('post.id', order)
      .limit(query.limit + 1); // to-one join only: no row multiplication, so no DISTINCT subquery (take) needed
    const rows = await qb.getMany();
    const more = rows.length > query.limit;
    const data = rows.slice(0, query.limit);
    if (backwards) data.reverse();
    const first = data[0];
    const last = data[data.length - 1];
    const meta: PostPage['meta'] = {
      limit: query.limit,
      nextCursor: last && (backwards ? cursor !== undefined : more) ? encodeCursor(last) : null,
      prevCursor: first && (backwards ? more : cursor !== undefined) ? encodeCursor(first) : null,
    };
    if (query.count) meta.total = await this.posts.countBy({ tenantId });
    return { data, meta };
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
